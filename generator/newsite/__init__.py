"""Starting and handing over a site: `handbok init` (sitestart, starter/), `handbok new`
(scaffold) and `handbok export` (export)."""
