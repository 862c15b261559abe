"""The staff console (issue 14): a stateless app serving the console's static files under /console/."""
