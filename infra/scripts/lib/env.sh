# Sourced by the project's scripts: loads .env, then .env.local, without overriding variables that
# are already set in the environment (real environment variables win).

load_env_file() {
  local file=$1 line key value
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    key=${line%%=*}
    value=${line#*=}
    if [ -z "${!key+set}" ] || [ -n "${FROM_ENV_FILE[$key]:-}" ]; then
      export "$key=$value"
      FROM_ENV_FILE[$key]=1
    fi
  done < "$file"
}

load_project_env() {
  declare -gA FROM_ENV_FILE=()
  load_env_file "$1/.env"
  load_env_file "$1/.env.local"
}
