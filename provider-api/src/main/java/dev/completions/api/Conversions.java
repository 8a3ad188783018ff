package dev.completions.api;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts option values to declared parameter types; null means "not convertible". */
final class Conversions {
  private Conversions() {}

  static Object convert(Type type, Object value) {
    if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
      return p.getActualTypeArguments()[0] == String.class ? stringList(value) : null;
    }
    if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
      return map(value);
    }
    if (!(type instanceof Class<?> target)) {
      return null;
    }
    if (target == Map.class) {
      return map(value);
    }
    if (target.isRecord() && value instanceof Map<?, ?> fields) {
      return record(target, fields);
    }
    if (target == String.class) {
      return value instanceof CharSequence text ? text.toString() : null;
    }
    if (target == Integer.class || target == int.class) {
      Long whole = wholeNumber(value);
      return whole != null && whole == whole.intValue() ? Integer.valueOf(whole.intValue()) : null;
    }
    if (target == Long.class || target == long.class) {
      return wholeNumber(value);
    }
    if (target == Double.class || target == double.class) {
      return decimal(value);
    }
    if (target == Boolean.class || target == boolean.class) {
      return bool(value);
    }
    if (target.isEnum()) {
      return value instanceof CharSequence text
          ? enumConstant(target, text.toString().strip())
          : null;
    }
    return target.isInstance(value) ? value : null;
  }

  /**
   * The value as it is sent: a record becomes a map by its components' wire names (null components
   * left out), recursively; anything else is returned as it is.
   */
  static Object wireForm(Object value) {
    if (value instanceof Record record) {
      Map<String, Object> fields = new LinkedHashMap<>();
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        Object field;
        try {
          var accessor = component.getAccessor();
          accessor.trySetAccessible();
          field = accessor.invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalStateException("cannot read " + component, e);
        }
        if (field != null) {
          fields.put(Parameters.snakeCase(component.getName()), wireForm(field));
        }
      }
      return Collections.unmodifiableMap(fields);
    }
    if (value instanceof List<?> list && list.stream().anyMatch(e -> e instanceof Record)) {
      return list.stream().map(Conversions::wireForm).toList();
    }
    return value;
  }

  /** {@return the value a primitive component takes when unset, else null} */
  static Object zero(Class<?> type) {
    if (!type.isPrimitive()) {
      return null;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == double.class) {
      return 0.0;
    }
    if (type == float.class) {
      return 0.0f;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == short.class) {
      return (short) 0;
    }
    return type == byte.class ? (byte) 0 : (char) 0;
  }

  private static Map<String, Object> map(Object value) {
    if (!(value instanceof Map<?, ?> given)
        || !given.keySet().stream().allMatch(k -> k instanceof String)) {
      return null;
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    given.forEach((k, v) -> copy.put((String) k, v));
    return Collections.unmodifiableMap(copy);
  }

  /** The record whose components are given by wire name; null when a field is unknown or wrong. */
  private static Object record(Class<?> type, Map<?, ?> fields) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] signature = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    int matched = 0;
    for (int i = 0; i < components.length; i++) {
      signature[i] = components[i].getType();
      String name = Parameters.snakeCase(components[i].getName());
      Object given =
          fields.containsKey(name) ? fields.get(name) : fields.get(components[i].getName());
      if (given == null) {
        values[i] = zero(signature[i]);
        continue;
      }
      matched++;
      values[i] = convert(components[i].getGenericType(), given);
      if (values[i] == null) {
        return null;
      }
    }
    if (matched != fields.size()) {
      return null;
    }
    try {
      var constructor = type.getDeclaredConstructor(signature);
      constructor.trySetAccessible();
      return constructor.newInstance(values);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static List<String> stringList(Object value) {
    if (value instanceof CharSequence text) {
      return List.of(text.toString());
    }
    if (value instanceof List<?> list && list.stream().allMatch(e -> e instanceof CharSequence)) {
      return list.stream().map(Object::toString).toList();
    }
    return null;
  }

  private static Long wholeNumber(Object value) {
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof CharSequence text) {
      try {
        return Long.valueOf(text.toString().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static Double decimal(Object value) {
    if (value instanceof Number number) {
      double d = number.doubleValue();
      return Double.isFinite(d) ? d : null;
    }
    if (value instanceof CharSequence text) {
      try {
        double d = Double.parseDouble(text.toString().strip());
        return Double.isFinite(d) ? d : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static Boolean bool(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof CharSequence text) {
      String s = text.toString().strip();
      if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
        return Boolean.valueOf(s);
      }
    }
    return null;
  }

  private static Object enumConstant(Class<?> type, String name) {
    for (Object constant : type.getEnumConstants()) {
      if (((Enum<?>) constant).name().equalsIgnoreCase(name)) {
        return constant;
      }
    }
    return null;
  }
}
