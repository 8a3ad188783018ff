package dev.completions.api;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parameters a provider accepts, derived by reflection from its parameter record (see {@link
 * CompletionProvider#parameters()}): listed as {@link ParameterInfo}s, rendered in gpt4free's
 * one-line form, and used to validate requests before any I/O. Immutable and thread-safe.
 *
 * <p>The standard parameters {@value #STANDARD_NAMES} are fields of {@link CompletionRequest};
 * every other component is an option passed in {@link CompletionRequest#options()}. Option values
 * may be given as their Java type or as text (as a command line gives them) and are converted:
 * {@code String}, {@code Integer}/{@code int}, {@code Long}/{@code long}, {@code Double}/{@code
 * double}, {@code Boolean}/{@code boolean}, {@code List<String>} (a single string is a one-element
 * list) and enums (by constant name, ignoring case).
 */
public final class Parameters {

  /** The parameters every request carries as fields rather than options. */
  public static final String STANDARD_NAMES = "model, messages, stream, temperature";

  private static final Set<String> STANDARD = Set.of("model", "messages", "stream", "temperature");

  private final String provider;
  private final List<ParameterInfo> parameters;
  private final Map<String, Type> types;
  private final List<ParameterInfo> requiredOptions;
  private final ParameterInfo temperature;
  private final Double defaultTemperature;

  private Parameters(String provider, List<ParameterInfo> parameters, Map<String, Type> types) {
    this.provider = provider;
    this.parameters = parameters;
    this.types = types;
    this.requiredOptions =
        parameters.stream().filter(p -> p.required() && !STANDARD.contains(p.name())).toList();
    this.temperature =
        parameters.stream().filter(p -> p.name().equals("temperature")).findFirst().orElse(null);
    this.defaultTemperature =
        temperature == null || temperature.defaultValue() == null
            ? null
            : Double.valueOf(temperature.defaultValue());
  }

  /**
   * Reflects over a provider's parameter record.
   *
   * @param provider the provider's name, used in descriptions and messages
   * @param declaration the record whose components declare the parameters
   * @throws IllegalArgumentException when {@code declaration} is not a record
   * @return the provider's parameters
   */
  public static Parameters of(String provider, Class<?> declaration) {
    if (declaration == null || !declaration.isRecord()) {
      throw new IllegalArgumentException(
          "parameters: "
              + provider
              + " must declare its parameters as a record class, got "
              + declaration);
    }
    List<ParameterInfo> infos = new ArrayList<>();
    Map<String, Type> types = new LinkedHashMap<>();
    for (RecordComponent component : declaration.getRecordComponents()) {
      String name = snakeCase(component.getName());
      Type type = component.getGenericType();
      Param param = component.getAnnotation(Param.class);
      infos.add(
          new ParameterInfo(
              name,
              render(type),
              param != null && param.required(),
              param == null || param.defaultValue().isEmpty() ? null : param.defaultValue(),
              param == null ? "" : param.value(),
              param == null || param.min() == Double.NEGATIVE_INFINITY ? null : param.min(),
              param == null || param.max() == Double.POSITIVE_INFINITY ? null : param.max(),
              component.getType().isEnum() ? choices(component.getType()) : List.of()));
      types.put(name, type);
    }
    return new Parameters(provider, List.copyOf(infos), Collections.unmodifiableMap(types));
  }

  /** {@return the parameters in declaration order} */
  public List<ParameterInfo> list() {
    return parameters;
  }

  /**
   * gpt4free's one-line form, e.g. {@code Lockchat supports: (model: String, messages:
   * List<Message>, stream: boolean, temperature: double = 0.7)}.
   *
   * @return the description
   */
  public String describe() {
    return provider
        + " supports: ("
        + parameters.stream().map(ParameterInfo::signature).collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * Checks a request against the declaration and converts its options to the declared types.
   *
   * @return the options by wire name, converted, in the caller's order; unmodifiable
   * @throws IllegalArgumentException naming the option and what is accepted, when an option is
   *     undeclared or standard, of the wrong type, out of bounds, or a required one is missing, or
   *     when the temperature is outside the declared bounds
   * @param request the request
   */
  public Map<String, Object> validate(CompletionRequest request) {
    Map<String, Object> converted = Map.of();
    if (!request.options().isEmpty()) {
      Map<String, Object> options = new LinkedHashMap<>();
      request.options().forEach((name, value) -> options.put(name, convert(name, value)));
      converted = Collections.unmodifiableMap(options);
    }
    for (ParameterInfo info : requiredOptions) {
      if (!converted.containsKey(info.name())) {
        throw new IllegalArgumentException(
            "option '"
                + info.name()
                + "' of "
                + provider
                + " is required ("
                + info.constraint()
                + ")");
      }
    }
    if (temperature != null && request.temperature() != null) {
      checkBounds(temperature, request.temperature(), request.temperature());
    }
    return converted;
  }

  /**
   * The request with the provider's declared defaults for the fields it left unset: the temperature
   * takes the parameter record's {@code @Param(defaultValue)}, when it declares one. Returns the
   * request itself when nothing was unset.
   *
   * @param request the request
   * @return the request with the defaults filled in
   */
  public CompletionRequest withDefaults(CompletionRequest request) {
    if (request.temperature() != null || defaultTemperature == null) {
      return request;
    }
    return request.toBuilder().temperature(defaultTemperature).build();
  }

  private Object convert(String name, Object value) {
    if (STANDARD.contains(name)) {
      throw new IllegalArgumentException(
          "option '"
              + name
              + "' is a request field, not an option: set it on the CompletionRequest");
    }
    ParameterInfo info =
        parameters.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    if (info == null) {
      throw new IllegalArgumentException(
          provider
              + " does not accept option '"
              + name
              + "'; accepted options: "
              + acceptedOptions());
    }
    Object converted = Conversions.convert(types.get(name), value);
    if (converted == null) {
      throw new IllegalArgumentException(
          "option '"
              + name
              + "' of "
              + provider
              + " must be "
              + info.constraint()
              + ", got "
              + quote(value));
    }
    if (converted instanceof Number number) {
      checkBounds(info, number.doubleValue(), value);
    }
    return converted;
  }

  private void checkBounds(ParameterInfo info, double number, Object given) {
    if ((info.min() != null && number < info.min())
        || (info.max() != null && number > info.max())) {
      String what = STANDARD.contains(info.name()) ? info.name() : "option '" + info.name() + "'";
      throw new IllegalArgumentException(
          what + " of " + provider + " must be " + info.constraint() + ", got " + quote(given));
    }
  }

  private String acceptedOptions() {
    String accepted =
        parameters.stream()
            .filter(p -> !STANDARD.contains(p.name()))
            .map(p -> p.name() + " (" + p.constraint() + ")")
            .collect(Collectors.joining(", "));
    return accepted.isEmpty() ? "none" : accepted;
  }

  private static String quote(Object value) {
    if (value instanceof CharSequence) {
      return "\"" + value + "\"";
    }
    String kind =
        value instanceof List
            ? "List"
            : value instanceof Map ? "Map" : value.getClass().getSimpleName();
    return value + " (" + kind + ")";
  }

  static String snakeCase(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static String render(Type type) {
    if (type instanceof Class<?> c) {
      return c.isArray() ? render(c.getComponentType()) + "[]" : c.getSimpleName();
    }
    if (type instanceof ParameterizedType p) {
      return render(p.getRawType())
          + Arrays.stream(p.getActualTypeArguments())
              .map(Parameters::render)
              .collect(Collectors.joining(", ", "<", ">"));
    }
    if (type instanceof GenericArrayType a) {
      return render(a.getGenericComponentType()) + "[]";
    }
    if (type instanceof WildcardType w) {
      Type[] upper = w.getUpperBounds();
      return upper.length == 1 && upper[0] == Object.class ? "?" : "? extends " + render(upper[0]);
    }
    return type.getTypeName();
  }

  private static List<String> choices(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants())
        .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
        .toList();
  }
}
