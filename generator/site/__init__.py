"""A site's content as the core knows it: settings (siteconfig, project), pages, contacts,
charts, sources, the templates of its markup, and the problems found in them. Knows nothing of MkDocs."""
