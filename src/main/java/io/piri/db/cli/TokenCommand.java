package io.piri.db.cli;

import io.piri.db.core.ExitException;
import io.piri.db.config.ConfigException;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.piri.db.console.Role;
import io.piri.db.console.TokenFile;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code piri-db token create|list|revoke}: the console's credentials, kept in
 * {@code <data_dir>/console-tokens.json} of the node the configuration names. Works on the file
 * directly, with the node running or not; a running node sees the change at its next request.
 */
@Command(name = "token", description = "Manage console and HTTP API tokens of this node.",
    subcommands = {TokenCommand.Create.class, TokenCommand.List.class, TokenCommand.Revoke.class})
public final class TokenCommand {

  static class Common {
    @Option(names = "--config", description = "configuration file naming the node's data_dir (default: ${DEFAULT-VALUE})",
        defaultValue = "conf/piri-db.json")
    Path config;

    @Option(names = "--verbose", description = "print stack traces of failures") boolean verbose;

    TokenFile file() throws Exception {
      JsonObject json;
      try {
        json = Files.isRegularFile(config) ? new JsonObject(Files.readString(config)) : new JsonObject();
      } catch (DecodeException e) {
        throw new ConfigException("--config", "'" + config + "' is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
      PiriConfig cfg = ConfigLoader.fromJson(json, System.getenv());
      return new TokenFile(cfg.dataDir());
    }
  }

  @Command(name = "create", description = "Create a token and print it once; only its hash is kept.")
  static final class Create extends Common implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "a name for the token (1..64 letters, digits, _.-)") String name;

    @Option(names = "--role", required = true, description = "viewer, operator or admin") String role;

    @Override
    public Integer call() throws Exception {
      Role r;
      try {
        r = Role.parse(role);
      } catch (IllegalArgumentException e) {
        throw new ExitException(ExitException.BAD_CONFIG, "--role: " + e.getMessage());
      }
      TokenFile f = file();
      String token;
      try {
        token = f.create(name, r);
      } catch (IllegalArgumentException e) {
        throw new ExitException(ExitException.BAD_CONFIG, e.getMessage());
      }
      System.out.println(token);
      System.err.println("token '" + name + "' (" + r.id() + ") created in " + f.path() + "; it is shown only this once");
      return 0;
    }
  }

  @Command(name = "list", description = "List this node's tokens (names and roles, never the tokens).")
  static final class List extends Common implements Callable<Integer> {
    @Option(names = "--json", description = "print JSON instead of a table, for scripts") boolean json;

    @Override
    public Integer call() throws Exception {
      java.util.List<TokenFile.Entry> entries = file().list();
      entries.sort(Comparator.comparing(TokenFile.Entry::name));
      if (json) {
        JsonArray out = new JsonArray();
        entries.forEach(e -> out.add(e.publicJson()));
        System.out.println(new JsonObject().put("tokens", out).encode());
        return 0;
      }
      Table t = new Table("NAME", "ROLE", "CREATED");
      entries.forEach(e -> t.row(e.name(), e.role().id(), Instant.ofEpochMilli(e.createdAt()).toString()));
      System.out.print(t.render());
      return 0;
    }
  }

  @Command(name = "revoke", description = "Revoke a token; logins made with it end too.")
  static final class Revoke extends Common implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "the token's name") String name;

    @Override
    public Integer call() throws Exception {
      if (!file().revoke(name)) throw new ExitException(ExitException.BAD_CONFIG, "no token named '" + name + "'");
      System.out.println("revoked " + name);
      return 0;
    }
  }
}
