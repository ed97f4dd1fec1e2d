"""The pieces of a site the core reads and renders: pages (content), contacts, charts, the
templates of its markup, its Content-Security-Policy and serve's error page. project.py puts
them together; nothing here knows MkDocs."""
