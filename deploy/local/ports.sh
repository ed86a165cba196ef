# Sourced by the local server scripts: a server whose port another program holds fails to bind (or, for some, takes
# the next port), while a readiness check on the port would find the other program and report it as ours.
#   port_free <port> <what listens there> <the variable that picks another port>
port_free() {
  local port=$1 what=$2 variable=$3
  if (exec 3<>"/dev/tcp/localhost/$port") 2>/dev/null; then
    echo "localhost:$port, for $what, is taken by another program: stop it, or pick a free port with" \
      "$variable=<port>" >&2
    exit 2
  fi
}
