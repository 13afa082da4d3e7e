/**
 * Records covering every row of the type table, at top level and nested, compiled by the real
 * processor with {@code -Xlint:all -Werror}.
 */
package io.github.sparkarrow.it.records;
