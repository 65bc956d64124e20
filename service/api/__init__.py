"""The HTTP layer: JSON API resources, problem+json errors, middleware. Channels add their own routes."""
