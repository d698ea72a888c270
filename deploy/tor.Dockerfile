# Tor from Debian's package, for the onion service in deploy/compose.yaml (no third-party image).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends tor && rm -rf /var/lib/apt/lists/*
# Tor refuses a data or service folder that others can read. A new named volume takes this
# ownership and these modes from the image.
RUN mkdir -p /var/lib/tor/sealbox && chown -R debian-tor:debian-tor /var/lib/tor && chmod 700 /var/lib/tor /var/lib/tor/sealbox
USER debian-tor
CMD ["tor", "-f", "/etc/tor/torrc"]
