/** AWS VPC flow logs: version 2, or a custom format read from the header line that names its fields. */
package io.scanwatch.parse.vpcflow;
