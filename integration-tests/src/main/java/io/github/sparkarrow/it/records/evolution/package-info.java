/** Versions of one record, as a team changes it over time: for the schema compatibility tests. */
package io.github.sparkarrow.it.records.evolution;
