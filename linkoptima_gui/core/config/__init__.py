"""Settings (a versioned JSON file in the user's config folder) and secrets (the OS keyring)."""
