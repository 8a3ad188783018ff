package dev.completions.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one component of a provider's parameter record (see {@link
 * CompletionProvider#parameters()}). The parameter's wire name is the component name in snake_case
 * ({@code maxTokens} → {@code max_tokens}); its type is the component's type. Components without
 * this annotation are optional, undescribed and unbounded.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Param {

  /** {@return a one-line description} */
  String value() default "";

  /** {@return the default value as text (e.g. {@code "0.7"}), or "" for none} */
  String defaultValue() default "";

  /** {@return whether every request must give a value} */
  boolean required() default false;

  /** {@return the smallest allowed number, inclusive (numbers only)} */
  double min() default Double.NEGATIVE_INFINITY;

  /** {@return the largest allowed number, inclusive (numbers only)} */
  double max() default Double.POSITIVE_INFINITY;
}
