/** Windows events as JSON (Sysmon 3, Security 5156/5157, 4624/4625/4771), flat or Winlogbeat. */
package io.scanwatch.parse.windows;
