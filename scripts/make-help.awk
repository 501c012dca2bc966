# `make help`: each target of the Makefile with its `## ` comment, one line each; where the locale
# is Estonian (lang, from LC_ALL, LC_MESSAGES or LANG), the `##et ` line below the target instead.
BEGIN { estonian = lang ~ /^et/ }
function say() { if (name != "") printf "  make %-14s %s\n", name, text; name = "" }
/^[a-z-]+:.*## / { say(); name = $0; sub(/:.*/, "", name); text = $0; sub(/^[^#]*## /, "", text); next }
/^##et / { if (estonian && name != "") text = substr($0, 6); say(); next }
{ say() }
END { say() }
