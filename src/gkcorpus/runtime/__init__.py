"""Running per-document stages: serial, process or Dask executors, and the token cache."""
