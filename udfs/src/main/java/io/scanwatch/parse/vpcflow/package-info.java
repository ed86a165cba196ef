/** AWS VPC flow logs, version 2. */
package io.scanwatch.parse.vpcflow;
