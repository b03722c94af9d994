"""The site: what puts the apps together at the top of the layers — the URL root's health check
and error pages, the demo data, and the commands that run or keep the whole site (serve, demo,
createadmin, backup, restore). Nothing below imports it."""
