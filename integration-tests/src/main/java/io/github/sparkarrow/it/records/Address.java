package io.github.sparkarrow.it.records;

/** Not annotated: nested records need no annotation. */
public record Address(String street, String city, int zip) {}
