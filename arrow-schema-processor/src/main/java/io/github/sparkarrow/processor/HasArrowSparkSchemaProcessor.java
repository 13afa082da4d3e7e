package io.github.sparkarrow.processor;

import com.google.auto.service.AutoService;
import io.github.sparkarrow.processor.emit.CompanionEmitter;
import io.github.sparkarrow.processor.emit.ReaderEmitter;
import io.github.sparkarrow.processor.emit.SourceFiles;
import io.github.sparkarrow.processor.emit.WriterEmitter;
import io.github.sparkarrow.processor.model.RecordModel;
import io.github.sparkarrow.processor.scan.Message;
import io.github.sparkarrow.processor.scan.RecordScanner;
import io.github.sparkarrow.processor.scan.Reporter;
import io.github.sparkarrow.processor.scan.SourceSites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Generates a {@code <Record>ArrowSchema} companion for every record annotated with
 * {@code @HasArrowSparkSchema}.
 *
 * <p>Thin on purpose: {@link RecordScanner} turns elements into a model and reports problems,
 * the emitters turn the model into code. One bad record never stops the others; a record whose
 * component types are not resolved yet (made by another processor) waits for the next round; and
 * an unexpected exception becomes one "internal error" diagnostic instead of crashing javac.
 */
@AutoService(Processor.class)
public final class HasArrowSparkSchemaProcessor extends AbstractProcessor {

  static final String ANNOTATION = "io.github.sparkarrow.annotations.HasArrowSparkSchema";

  static final String GENERATED = "javax.annotation.processing.Generated";

  /**
   * This processor's annotations, which it claims, as nothing else should process them; and
   * {@code @Generated}, which it claims only in a round where all of it sits on its own output.
   * That keeps javac's {@code -Xlint:processing} ("No processor claimed any of these annotations")
   * quiet about the companions, so users can build with {@code -Xlint:all -Werror}, without taking
   * {@code @Generated} away from any other processor.
   */
  private static final Set<String> ANNOTATIONS =
      Set.of(
          ANNOTATION,
          "io.github.sparkarrow.annotations.ArrowColumn",
          "io.github.sparkarrow.annotations.ArrowDecimal",
          GENERATED);

  private final Set<String> generated = new HashSet<>();

  private final Set<String> deferred = new LinkedHashSet<>();
  private Reporter reporter;
  private RecordScanner scanner;
  private SourceFiles sourceFiles;

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return ANNOTATIONS;
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    reporter = new Reporter(env.getMessager());
    scanner = new RecordScanner(env.getElementUtils(), reporter, SourceSites.of(env));
    sourceFiles = new SourceFiles(env.getFiler());
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Set<TypeElement> todo = new LinkedHashSet<>();
    for (String name : deferred) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
      if (type != null) {
        todo.add(type);
      }
    }
    deferred.clear();
    TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
    if (annotation != null) {
      for (Element element : round.getElementsAnnotatedWith(annotation)) {
        todo.add((TypeElement) element);
      }
    }
    for (TypeElement type : todo) {
      processOne(type, round.processingOver());
    }
    return onlyOurGenerated(annotations, round);
  }

  private boolean onlyOurGenerated(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    for (TypeElement annotation : annotations) {
      if (annotation.getQualifiedName().contentEquals(GENERATED)) {
        for (Element element : round.getElementsAnnotatedWith(annotation)) {
          if (!(element instanceof TypeElement type)
              || !generated.contains(type.getQualifiedName().toString())) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private void processOne(TypeElement type, boolean lastRound) {
    try {
      Optional<RecordModel> model = scanner.scan(type);
      if (model.isPresent()) {
        RecordModel record = model.get();
        String pkg = record.type().packageName();
        sourceFiles.write(pkg, CompanionEmitter.companion(record), type);
        sourceFiles.write(pkg, WriterEmitter.writer(record), type);
        sourceFiles.write(pkg, ReaderEmitter.reader(record), type);
        generated.add(CompanionEmitter.companionName(record.type()).canonicalName());
        generated.add(WriterEmitter.writerName(record).canonicalName());
        generated.add(ReaderEmitter.readerName(record).canonicalName());
      }
    } catch (RecordScanner.Unresolved unresolved) {
      if (lastRound) {
        reporter.error(
            unresolved.site(), Message.UNRESOLVED_TYPE, unresolved.path(), unresolved.getMessage());
      } else {
        deferred.add(type.getQualifiedName().toString());
      }
    } catch (RuntimeException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      reporter.error(type, Message.INTERNAL_ERROR, type.getQualifiedName(), trace);
    }
  }
}
