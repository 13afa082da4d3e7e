package io.github.sparkarrow.processor.scan;

import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;

/**
 * Tells whether an element comes from source being compiled, so a diagnostic can point at it; an
 * element read from a class file has no line, and the error goes to the nearest one that has.
 */
public interface SourceSites {

  boolean hasSource(Element element);

  /** javac's answer where javac runs the processor; elsewhere every element counts as source. */
  static SourceSites of(ProcessingEnvironment env) {
    try {
      com.sun.source.util.Trees trees = com.sun.source.util.Trees.instance(env);
      return element -> trees.getPath(element) != null;
    } catch (IllegalArgumentException | LinkageError notJavac) {
      return element -> true;
    }
  }
}
