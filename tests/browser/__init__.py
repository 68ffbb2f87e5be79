"""Browser and HTML-validity tests over the built sample paper (Chromium via Playwright, axe-core, Nu checker)."""
