// Anchor for the shared precompiled headers of the test suites.
