package io.duplex.core.internal.extension.deflate;

/**
 * How hard the matcher looks for matches at a compression level: the number of hash-chain links followed,
 * the match length that ends a search early, whether a match is deferred to try the next position
 * (lazy matching), and the match length above which that is no longer worth it.
 *
 * @param maxChain     hash-chain links followed per search
 * @param niceLength   a match this long ends the search
 * @param goodLength   after a match this long, the next (lazy) search follows a quarter of the chain
 * @param lazyLimit    lazy levels: no lazy search after a match this long; greedy levels: matches up to this
 *                     length have all their positions inserted into the hash chains
 * @param lazy         lazy (deferred) matching instead of greedy
 */
record SearchEffort(int maxChain, int niceLength, int goodLength, int lazyLimit, boolean lazy) {

    private static final SearchEffort[] LEVELS = {
        null,
        new SearchEffort(4, 8, 4, 4, false),
        new SearchEffort(8, 16, 4, 5, false),
        new SearchEffort(24, 32, 4, 6, false),
        new SearchEffort(16, 16, 4, 4, true),
        new SearchEffort(32, 32, 8, 16, true),
        new SearchEffort(128, 128, 8, 16, true),
        new SearchEffort(256, 128, 8, 32, true),
        new SearchEffort(1024, 258, 32, 128, true),
        new SearchEffort(4096, 258, 32, 258, true),
    };

    /** The effort for level 1 (fastest) to 9 (smallest output). */
    static SearchEffort forLevel(int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("compression level must be 1..9: " + level);
        }
        return LEVELS[level];
    }
}
