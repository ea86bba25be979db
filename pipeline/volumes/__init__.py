"""Part-session volumes: "Texts adopted by the Assembly", declared in `volumes/<stem>.toml` and
built from the same canonical sources as the single texts' editions."""
