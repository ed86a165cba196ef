/** Text that any UTF-8 writer accepts: lone UTF-16 surrogates replaced, cuts made between code points. */
package io.scanwatch.text;
