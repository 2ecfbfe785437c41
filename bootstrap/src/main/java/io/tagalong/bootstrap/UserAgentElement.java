package io.tagalong.bootstrap;

/**
 * The {@code tagalong.user-agent} element of one request, {@code tagalong (team=ml; job-id=nightly)}: a product
 * token and one RFC 9110 comment. Built by the pipeline from the decided headers; appended by whichever layer sets
 * the User-Agent last before signing (an SDK appends it where it builds its own User-Agent).
 */
public final class UserAgentElement {
    static final String PRODUCT = "tagalong (";
    private final String text;

    private UserAgentElement(String text) {
        this.text = text;
    }

    /** The element for these values (positions of {@link Carriers#headers}), or null when none applies. */
    static UserAgentElement of(Carriers carriers, String[] values) {
        StringBuilder sb = null;
        for (int i = 0; i < carriers.userAgentHeaders.length; i++) {
            String value = values[carriers.userAgentHeaders[i]];
            if (value == null) continue;
            String problem = commentProblem(value);
            if (problem != null) {
                String header = carriers.headers.get(carriers.userAgentHeaders[i]);
                Log.warnOnce("user-agent-value:" + header.toLowerCase(java.util.Locale.ROOT), Config.USER_AGENT + ": the value of "
                        + header + " refused: " + problem);
                continue;
            }
            if (sb == null) sb = new StringBuilder(PRODUCT);
            else sb.append("; ");
            sb.append(carriers.userAgentKeys[i]).append('=').append(value);
        }
        return sb == null ? null : new UserAgentElement(sb.append(')').toString());
    }

    /** Why a value cannot go in a User-Agent comment as one {@code key=value} item, or null. */
    static String commentProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '(' || c == ')' || c == '\\' || c == ';') return "contains ( ) \\ or ;, which would end or split the User-Agent element";
            if (c < 0x20 || c > 0x7e) return "contains a character other than visible ASCII and space";
        }
        return null;
    }

    /**
     * The User-Agent with the element appended, or null when it is to stay as it is: it carries an element already
     * (an SDK layer above added it: never twice), or the element would take it past 1 KB (logged once).
     *
     * @param userAgent the request's User-Agent, or null when it has none
     */
    public String appendTo(String userAgent) {
        if (userAgent != null && userAgent.contains(PRODUCT)) return null;
        String result = userAgent == null || userAgent.isEmpty() ? text : userAgent + " " + text;
        if (result.length() > Carriers.MAX_USER_AGENT_BYTES) {
            Log.warnOnce("user-agent-room", Config.USER_AGENT + ": the client's User-Agent leaves no room for the element within "
                    + Carriers.MAX_USER_AGENT_BYTES + " bytes (CloudTrail truncates beyond); it was left out");
            return null;
        }
        return result;
    }

    @Override
    public String toString() {
        return text;
    }
}
