"""The review desk: `matcher serve`, a server-rendered web application for research coordinators (docs/web.md).

`app` (routes, sessions, CSRF), `auth` (users, passwords, throttling, who sees which patient), `desk` (what the
pages show), `templates/` and `static/` (every asset ships in the package; no build step, no CDN).
"""
