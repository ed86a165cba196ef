/**
 * Text as the inputs and outputs need it: lines any UTF-8 writer accepts (lone UTF-16 surrogates replaced, cuts made
 * between code points), and CSV fields split as the databases and exporters quote them.
 */
package io.scanwatch.text;
