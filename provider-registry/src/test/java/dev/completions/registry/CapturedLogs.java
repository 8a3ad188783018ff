package dev.completions.registry;

import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The tests' {@link System.LoggerFinder} (a service of the test class path): keeps the messages the
 * registry logs at WARNING and above, so tests can assert what was logged and how often.
 */
public final class CapturedLogs extends System.LoggerFinder {

  /** The registry's warnings so far, in order. */
  static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

  @Override
  public System.Logger getLogger(String name, Module module) {
    return new System.Logger() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public boolean isLoggable(Level level) {
        return level.getSeverity() >= Level.WARNING.getSeverity();
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        if (isLoggable(level) && name.startsWith("dev.completions.registry")) {
          WARNINGS.add(message);
        }
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        log(level, bundle, format, (Throwable) null);
      }

      @Override
      public void log(Level level, Supplier<String> message) {
        log(level, (ResourceBundle) null, message.get(), (Throwable) null);
      }

      @Override
      public void log(Level level, String message) {
        log(level, (ResourceBundle) null, message, (Throwable) null);
      }

      @Override
      public void log(Level level, String message, Throwable thrown) {
        log(level, (ResourceBundle) null, message, thrown);
      }
    };
  }
}
