def userinfo(claims, user):
    """The claims the province's provider gives: the login name (the official ID) and e-mail."""
    claims["preferred_username"] = user.username
    claims["email"] = user.email
    claims["email_verified"] = True  # the province's provider checked the address
    claims["name"] = user.get_full_name() or user.username
    return claims
