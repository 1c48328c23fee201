package io.ferry.convert;

/** What every family of translation rules works from: the target's features and the counts to keep. */
abstract class TranslationRules {
    protected final TargetFeatures target;
    protected final TranslationStats stats;

    TranslationRules(TargetFeatures target, TranslationStats stats) {
        this.target = target;
        this.stats = stats;
    }
}
