"""What operators see of a running bot: the status page, /healthz and /metrics.

`checks` decides whether the bot is healthy, `metrics` counts what it does, `view` reads
what the page shows and `page` renders it; `server` only routes HTTP requests to them, and
`service` starts and stops it all for the runner, the one module of the core that imports
this package.
"""
