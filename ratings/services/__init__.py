"""Django-side services of the rating process (plain functions; views stay thin)."""
