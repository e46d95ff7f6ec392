"""The REST API under /api/v1/ (issue 17): other systems read and write XHHT's data as a person does on the web."""
