"""Domain services of the worklog app: thin views call these, never the models directly."""
