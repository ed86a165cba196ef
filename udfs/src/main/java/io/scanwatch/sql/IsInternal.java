package io.scanwatch.sql;

/** {@code is_internal(ip, 'cidr,cidr,...')}: whether the address is internal; null when it is not an address. */
public class IsInternal extends RangeFunction {
    private static final long serialVersionUID = 1L;

    public Boolean eval(String ip, String internalCidrs) {
        return inside(ip, internalCidrs);
    }
}
