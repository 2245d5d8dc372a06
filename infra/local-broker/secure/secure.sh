# Sourced by broker.sh for --secure: the local CA and broker certificate (JDK keytool), the SCRAM
# principals and their client properties files, the secured overlay of the broker's settings, and the
# topics and ACLs once the broker is up. Everything lives in one folder (data/secure), readable only by
# the user, made at the first secured start and reused after.

SECURE_PRINCIPALS=(admin application gateway client)

# 192 random bits in hex: safe inside JAAS quotes, sed and properties files.
secure_random_password() {
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

# secure_material <folder>: the CA, the broker's key and certificate, and one properties file per principal
secure_material() {
  local dir=$1 store_password principal
  umask 077
  mkdir -p "$dir/tls"
  chmod 700 "$dir" "$dir/tls"
  if [ ! -s "$dir/tls/broker.p12" ]; then
    store_password=$(secure_random_password)
    printf '%s' "$store_password" > "$dir/tls/store.password"
    rm -f "$dir/tls/ca.p12" "$dir/tls/broker.p12" "$dir/ca.pem"
    # a CA of its own for this data folder, and the broker's certificate signed by it, for localhost and 127.0.0.1
    keytool -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname "CN=ctxprop local CA" -ext bc:c -validity 3650 \
      -keystore "$dir/tls/ca.p12" -storetype PKCS12 -storepass:file "$dir/tls/store.password" >/dev/null 2>&1
    keytool -exportcert -rfc -alias ca -keystore "$dir/tls/ca.p12" -storepass:file "$dir/tls/store.password" -file "$dir/ca.pem" >/dev/null 2>&1
    keytool -genkeypair -alias broker -keyalg EC -groupname secp256r1 -dname "CN=ctxprop-broker" -validity 825 \
      -keystore "$dir/tls/broker.p12" -storetype PKCS12 -storepass:file "$dir/tls/store.password" >/dev/null 2>&1
    keytool -certreq -alias broker -keystore "$dir/tls/broker.p12" -storepass:file "$dir/tls/store.password" -file "$dir/tls/broker.csr" >/dev/null 2>&1
    keytool -gencert -alias ca -keystore "$dir/tls/ca.p12" -storepass:file "$dir/tls/store.password" -infile "$dir/tls/broker.csr" \
      -outfile "$dir/tls/broker.pem" -rfc -validity 825 -ext SAN=dns:localhost,ip:127.0.0.1 \
      -ext KU=digitalSignature -ext EKU=serverAuth,clientAuth >/dev/null 2>&1
    keytool -importcert -noprompt -alias ca -file "$dir/ca.pem" -keystore "$dir/tls/broker.p12" -storepass:file "$dir/tls/store.password" >/dev/null 2>&1
    keytool -importcert -alias broker -file "$dir/tls/broker.pem" -keystore "$dir/tls/broker.p12" -storepass:file "$dir/tls/store.password" >/dev/null 2>&1
    rm -f "$dir/tls/broker.csr"
    echo "Made a certificate authority and the broker's certificate (localhost, 127.0.0.1): $dir/ca.pem"
  fi
  if [ ! -s "$dir/admin.properties" ]; then
    for principal in "${SECURE_PRINCIPALS[@]}"; do
      cat > "$dir/$principal.properties" <<PROPERTIES
# Kafka client settings of the principal "$principal" on the secured local cluster (broker.sh --secure).
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$principal" password="$(secure_random_password)";
ssl.truststore.type=PEM
ssl.truststore.location=$dir/ca.pem
PROPERTIES
    done
    echo "Made SCRAM credentials for ${SECURE_PRINCIPALS[*]}: $dir/<principal>.properties (readable only by you)"
  fi
  chmod 600 "$dir"/*.properties "$dir/ca.pem" "$dir/tls/"*
}

# The password in a principal's properties file.
secure_password() {
  sed -n 's/^sasl.jaas.config=.* password="\([A-Za-z0-9]*\)";$/\1/p' "$1/$2.properties"
}

# The admin's SCRAM credentials are added when a folder is formatted (FormatStorage.java, called by
# broker.sh, reads them from admin.properties: no password on a command line); the brokers log in to
# each other as admin. The others' are set through the Admin API (TopicsAndAcls).

# secure_render <config> <client port> <controller port> <folder>: appends the secured overlay
secure_render() {
  local config=$1 port=$2 controller=$3 dir=$4 overlay store_password admin_password
  # substituted by bash itself (no sed): the passwords never go on a command line
  overlay=$(<"$here/config/secure.properties")
  store_password=$(<"$dir/tls/store.password")
  admin_password=$(secure_password "$dir" admin)
  overlay=${overlay//'${KAFKA_PORT}'/"$port"}
  overlay=${overlay//'${CONTROLLER_PORT}'/"$controller"}
  overlay=${overlay//'${SECURE_DIR}'/"$dir"}
  overlay=${overlay//'${STORE_PASSWORD}'/"$store_password"}
  overlay=${overlay//'${ADMIN_PASSWORD}'/"$admin_password"}
  printf '%s\n' "$overlay" >> "$config"
  chmod 600 "$config"
}

# secure_topics_and_acls <bootstrap> <replicas> <min in sync>: as admin, once the brokers answer
secure_topics_and_acls() {
  java -cp "$classpath" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$here/secure/TopicsAndAcls.java" "$1" \
    "$secure_dir/admin.properties" "$2" "$3"
  touch "$secure_dir/ready"
  echo "Secured Kafka ready: clients use $secure_dir/<principal>.properties"
}
