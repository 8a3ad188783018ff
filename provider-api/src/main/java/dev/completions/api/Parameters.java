package dev.completions.api;

import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
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
 * every other component is an option passed in {@link CompletionRequest#options()}. A provider
 * takes the standard fields its record declares: a request that sets {@code temperature}, {@code
 * max_tokens} or {@code stop} for a provider that does not declare it is refused, naming the field.
 * The record's component for a standard field carries the standard name ({@code maxTokens}, {@code
 * stop}); the provider sends it under its own wire name.
 *
 * <p>Option values may be given as their Java type or as text (as a command line gives them) and
 * are converted: {@code String}, {@code Integer}/{@code int}, {@code Long}/{@code long}, {@code
 * Double}/{@code double}, {@code Boolean}/{@code boolean}, {@code List<String>} (a single string is
 * a one-element list), enums (by constant name, ignoring case), {@code Map}s, and records given as
 * a map by their components' wire names (e.g. {@code {type: "enabled", budget_tokens: 2000}} for a
 * {@code record Thinking(String type, Integer budgetTokens)}). An option may be scoped to the
 * provider by prefixing its name with the provider's name and a dot ({@code Claude.thinking}), as a
 * {@code ProviderChain} takes it; see {@link #validate}.
 *
 * <p>{@link #bind} turns a request into an instance of the record, with the declared defaults.
 */
public final class Parameters {

  /** The parameters every request carries as fields rather than options. */
  public static final String STANDARD_NAMES =
      "model, messages, stream, temperature, max_tokens, stop";

  static final Set<String> STANDARD =
      Set.of("model", "messages", "stream", "temperature", "max_tokens", "stop");

  private final String provider;
  private final Class<? extends Record> declaration;
  private final Reflected reflected;

  private Parameters(String provider, Class<? extends Record> declaration, Reflected reflected) {
    this.provider = provider;
    this.declaration = declaration;
    this.reflected = reflected;
  }

  /**
   * Reflects over a provider's parameter record.
   *
   * @param provider the provider's name, used in descriptions and messages
   * @param declaration the record whose components declare the parameters
   * @throws IllegalArgumentException when {@code declaration} is not a record, or a declared
   *     default is not of its parameter's type
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
    return new Parameters(
        provider, declaration.asSubclass(Record.class), REFLECTED.get(declaration));
  }

  /**
   * What reflection finds in a record, which depends on nothing but the class: the parameters, by
   * name, their types, their declared defaults (converted), the required options and the canonical
   * constructor and its parameter types (never modified).
   */
  private record Reflected(
      List<ParameterInfo> infos,
      Map<String, ParameterInfo> byName,
      Map<String, Type> types,
      Map<String, Object> defaults,
      List<ParameterInfo> requiredOptions,
      Class<?>[] signature,
      Constructor<?> canonical) {}

  // reflecting over a record takes tens of microseconds; a gateway or a chain asks per request
  private static final ClassValue<Reflected> REFLECTED =
      new ClassValue<>() {
        @Override
        protected Reflected computeValue(Class<?> declaration) {
          List<ParameterInfo> infos = new ArrayList<>();
          Map<String, ParameterInfo> byName = new LinkedHashMap<>();
          Map<String, Type> types = new LinkedHashMap<>();
          Map<String, Object> defaults = new LinkedHashMap<>();
          for (RecordComponent component : declaration.getRecordComponents()) {
            String name = snakeCase(component.getName());
            Type type = component.getGenericType();
            Param param = component.getAnnotation(Param.class);
            ParameterInfo info =
                new ParameterInfo(
                    name,
                    render(type),
                    param != null && param.required(),
                    param == null || param.defaultValue().isEmpty() ? null : param.defaultValue(),
                    param == null ? "" : param.value(),
                    param == null || param.min() == Double.NEGATIVE_INFINITY ? null : param.min(),
                    param == null || param.max() == Double.POSITIVE_INFINITY ? null : param.max(),
                    component.getType().isEnum() ? choices(component.getType()) : List.of());
            infos.add(info);
            byName.put(name, info);
            types.put(name, type);
            if (info.defaultValue() != null) {
              Object value = Conversions.convert(type, info.defaultValue());
              if (value == null) {
                throw new IllegalArgumentException(
                    "parameters: "
                        + declaration.getName()
                        + " declares the default \""
                        + info.defaultValue()
                        + "\" for '"
                        + name
                        + "', which is not "
                        + info.type());
              }
              defaults.put(name, value);
            }
          }
          Class<?>[] signature =
              Arrays.stream(declaration.getRecordComponents())
                  .map(RecordComponent::getType)
                  .toArray(Class<?>[]::new);
          Constructor<?> canonical;
          try {
            canonical = declaration.getDeclaredConstructor(signature);
          } catch (NoSuchMethodException e) { // every record has its canonical constructor
            throw new IllegalStateException(e);
          }
          canonical.trySetAccessible(); // a record in a package not open to us may still refuse
          return new Reflected(
              List.copyOf(infos),
              Collections.unmodifiableMap(byName),
              Collections.unmodifiableMap(types),
              Collections.unmodifiableMap(defaults),
              infos.stream().filter(p -> p.required() && !STANDARD.contains(p.name())).toList(),
              signature,
              canonical);
        }
      };

  /** {@return the parameters in declaration order} */
  public List<ParameterInfo> list() {
    return reflected.infos();
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
        + reflected.infos().stream().map(ParameterInfo::signature).collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * Checks a request against the declaration and converts its options to the declared types. An
   * option named {@code <provider>.<name>} (the provider's name ignoring case) is taken as {@code
   * <name>}.
   *
   * @return the options by wire name, converted, in the caller's order; unmodifiable. A
   *     record-typed option is returned as a map by wire name, as it is sent
   * @throws IllegalArgumentException naming the field or option and what is accepted, when an
   *     option is undeclared, of the wrong type, out of bounds, or a required one is missing, or
   *     when a standard field the provider does not declare is set ({@code temperature}, {@code
   *     max_tokens}, {@code stop}), or is outside the declared bounds
   * @param request the request
   */
  public Map<String, Object> validate(CompletionRequest request) {
    Map<String, Object> converted = Map.of();
    if (!request.options().isEmpty()) {
      Map<String, Object> options = new LinkedHashMap<>();
      request
          .options()
          .forEach(
              (name, value) -> {
                String own = ownName(name);
                options.put(own, Conversions.wireForm(convert(own, value)));
              });
      converted = Collections.unmodifiableMap(options);
    }
    for (ParameterInfo info : reflected.requiredOptions()) {
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
    checkStandard("temperature", request.temperature());
    checkStandard("max_tokens", request.maxTokens());
    checkStandard("stop", request.stop().isEmpty() ? null : request.stop());
    return converted;
  }

  /**
   * Whether the provider takes a parameter: a standard field or an option, by wire name.
   *
   * @param name the wire name, e.g. {@code max_tokens} or {@code top_p}
   * @return true when the record declares it
   */
  public boolean declares(String name) {
    return reflected.byName().containsKey(name);
  }

  /**
   * The request with the provider's declared defaults for the standard fields it left unset: the
   * temperature and the token limit take the parameter record's {@code @Param(defaultValue)}, when
   * it declares one. Returns the request itself when nothing was unset.
   *
   * @param request the request
   * @return the request with the defaults filled in
   */
  public CompletionRequest withDefaults(CompletionRequest request) {
    Object temperature =
        request.temperature() == null ? reflected.defaults().get("temperature") : null;
    Object maxTokens = request.maxTokens() == null ? reflected.defaults().get("max_tokens") : null;
    if (temperature == null && maxTokens == null) {
      return request;
    }
    CompletionRequest.Builder builder = request.toBuilder();
    if (temperature != null) {
      builder.temperature(((Number) temperature).doubleValue());
    }
    if (maxTokens != null) {
      builder.maxTokens(((Number) maxTokens).intValue());
    }
    return builder.build();
  }

  /**
   * Binds a request to the provider's parameter record: standard components from the request's
   * fields, the others from its options, each unset one from its {@code @Param(defaultValue)}, else
   * null (or zero / false for a primitive). The request is validated first, as by {@link
   * #validate}.
   *
   * @param <R> the record type
   * @param request the request
   * @param type the provider's parameter record, the one these parameters were made from
   * @return a new instance of the record
   * @throws IllegalArgumentException as {@link #validate} does, when {@code type} is not the
   *     declaration, or when the record's own constructor refuses the values
   * @throws IllegalStateException when the record's constructor cannot be called (for example a
   *     named module that does not open its package to {@code dev.completions.api})
   */
  public <R extends Record> R bind(CompletionRequest request, Class<R> type) {
    if (type != declaration) {
      throw new IllegalArgumentException(
          "parameters: " + provider + " is declared by " + declaration.getName() + ", not " + type);
    }
    Map<String, Object> options = validate(request);
    CompletionRequest filled = withDefaults(request);
    List<ParameterInfo> components = reflected.infos();
    Object[] values = new Object[components.size()];
    for (int i = 0; i < values.length; i++) {
      String name = components.get(i).name();
      Object value =
          switch (name) {
            case "model" -> filled.model();
            case "messages" -> filled.messages();
            case "stream" -> filled.stream();
            case "temperature" -> filled.temperature();
            case "max_tokens" -> filled.maxTokens();
            case "stop" -> filled.stop();
            default ->
                options.containsKey(name) ? options.get(name) : reflected.defaults().get(name);
          };
      values[i] =
          value == null
              ? Conversions.zero(reflected.signature()[i])
              : STANDARD.contains(name)
                  ? value
                  : Conversions.convert(reflected.types().get(name), value);
    }
    try {
      return type.cast(reflected.canonical().newInstance(values));
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException refused) {
        throw refused;
      }
      throw new IllegalStateException(
          "parameters: " + provider + "'s record refused its values: " + e.getCause(), e);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "parameters: cannot create " + declaration.getName() + " (" + e + ")", e);
    }
  }

  private void checkStandard(String name, Object value) {
    if (value == null) {
      return;
    }
    ParameterInfo info = reflected.byName().get(name);
    if (info == null) {
      throw new IllegalArgumentException(
          provider
              + " does not take "
              + name
              + "; it takes: "
              + reflected.infos().stream()
                  .map(ParameterInfo::name)
                  .collect(Collectors.joining(", ")));
    }
    if (value instanceof Number number) {
      checkBounds(info, number.doubleValue(), value);
    }
  }

  /** {@return " {a: Type, b: Type}" for a record type, naming what a map may hold, else ""} */
  private static String fields(Type type) {
    if (!(type instanceof Class<?> c) || !c.isRecord()) {
      return "";
    }
    return Arrays.stream(c.getRecordComponents())
        .map(
            component -> snakeCase(component.getName()) + ": " + render(component.getGenericType()))
        .collect(Collectors.joining(", ", " {", "}"));
  }

  private String ownName(String name) {
    int dot = name.indexOf('.');
    return dot > 0 && name.regionMatches(true, 0, provider, 0, dot) && dot == provider.length()
        ? name.substring(dot + 1)
        : name;
  }

  /** {@return the builder method that sets a standard field, e.g. maxTokens for max_tokens} */
  static String builderMethod(String standardName) {
    StringBuilder out = new StringBuilder(standardName.length());
    for (int i = 0; i < standardName.length(); i++) {
      char c = standardName.charAt(i);
      if (c == '_' && i + 1 < standardName.length()) {
        out.append(Character.toUpperCase(standardName.charAt(++i)));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private Object convert(String name, Object value) {
    ParameterInfo info = reflected.byName().get(name);
    if (info == null) {
      throw new IllegalArgumentException(
          provider
              + " does not accept option '"
              + name
              + "'; accepted options: "
              + acceptedOptions());
    }
    Object converted = Conversions.convert(reflected.types().get(name), value);
    if (converted == null) {
      throw new IllegalArgumentException(
          "option '"
              + name
              + "' of "
              + provider
              + " must be "
              + info.constraint()
              + fields(reflected.types().get(name))
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
        reflected.infos().stream()
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
