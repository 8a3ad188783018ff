package dev.completions.api;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;

/** Converts option values to declared parameter types; null means "not convertible". */
final class Conversions {
  private Conversions() {}

  static Object convert(Type type, Object value) {
    if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
      return p.getActualTypeArguments()[0] == String.class ? stringList(value) : null;
    }
    if (!(type instanceof Class<?> target)) {
      return null;
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
