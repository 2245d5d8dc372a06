import java.io.FileReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run by broker.sh --secure (a single-file program on the broker's classpath) to format a data folder
 * with the admin's SCRAM credentials (the brokers log in to each other as admin): Kafka's storage tool,
 * called in this JVM with {@code --add-scram} built here from the admin's properties file, so the
 * password is on no process's command line (which any local user can read in /proc).
 *
 * Args: the admin's client properties file, then the storage tool's arguments ({@code format ...}).
 */
public class FormatStorage {

    static final Pattern PASSWORD = Pattern.compile("password=\"([^\"]*)\"");

    public static void main(String[] args) throws Exception {
        Properties admin = new Properties();
        try (var in = new FileReader(args[0])) {
            admin.load(in);
        }
        Matcher password = PASSWORD.matcher(admin.getProperty("sasl.jaas.config", ""));
        if (!password.find()) {
            throw new IllegalStateException("No password in " + args[0]);
        }
        List<String> storageArgs = new ArrayList<>(List.of(args).subList(1, args.length));
        storageArgs.add("--add-scram");
        storageArgs.add("SCRAM-SHA-512=[name=admin,password=" + password.group(1) + "]");
        kafka.tools.StorageTool.main(storageArgs.toArray(String[]::new));
    }
}
