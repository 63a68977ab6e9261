namespace SharpVision.Data;

/// <summary>Seeded train/validation splits.</summary>
public static class DatasetSplit
{
    /// <summary>
    /// Splits each class separately so that every class keeps its share: round(n_c × fraction) of class c's images
    /// go to validation (at least one when the class has two or more and the fraction is positive). The same seed
    /// gives the same split; both subsets keep the original index order.
    /// </summary>
    public static (SubsetDataset Train, SubsetDataset Validation) Stratified(ImageDataset dataset, double validationFraction, long seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "must be in [0, 1)");
        var train = new List<int>(dataset.Count);
        var validation = new List<int>();
        foreach (var members in ShuffledClasses(dataset, seed))
        {
            var take = (int)Math.Round(members.Length * validationFraction, MidpointRounding.AwayFromZero);
            if (validationFraction > 0 && take == 0 && members.Length >= 2) take = 1;
            if (take >= members.Length && members.Length > 0) take = members.Length - 1; // keep every class in training
            validation.AddRange(members.Take(take));
            train.AddRange(members.Skip(take));
        }
        train.Sort();
        validation.Sort();
        return (new SubsetDataset(dataset, train), new SubsetDataset(dataset, validation));
    }

    /// <summary>
    /// Fold <paramref name="fold"/> of a stratified K-fold partition: each class's images are shuffled as
    /// <see cref="Stratified"/> shuffles them and cut into K near-equal runs; run k is validation. The folds of one seed
    /// are disjoint and cover every image, and fold 0 of K is exactly <c>Stratified(dataset, 1.0 / K, seed)</c> (for classes of at least K / 2 images), so a
    /// run made with <c>--val-split 0.1 --seed S</c> is fold 0/10 of seed S.
    /// </summary>
    public static (SubsetDataset Train, SubsetDataset Validation) Fold(ImageDataset dataset, CrossValidationFold fold, long seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (fold.Count < 2 || fold.Index < 0 || fold.Index >= fold.Count)
            throw new ArgumentOutOfRangeException(nameof(fold), fold, "needs 0 ≤ K < N and N ≥ 2");
        var share = 1.0 / fold.Count; // the same double Stratified multiplies by, so fold 0 rounds identically
        var train = new List<int>(dataset.Count);
        var validation = new List<int>();
        foreach (var members in ShuffledClasses(dataset, seed))
        {
            int Bound(int k) => k >= fold.Count ? members.Length : (int)Math.Round(members.Length * (k * share), MidpointRounding.AwayFromZero);
            int start = Bound(fold.Index), end = Bound(fold.Index + 1);
            for (var j = 0; j < members.Length; j++) (j >= start && j < end ? validation : train).Add(members[j]);
        }
        if (validation.Count == 0) throw new ArgumentException($"fold {fold} of {dataset.Count} images is empty: use fewer folds");
        train.Sort();
        validation.Sort();
        return (new SubsetDataset(dataset, train), new SubsetDataset(dataset, validation));
    }

    // Each class's image indices in a seeded order: the one shuffle both splits cut, so fold 0 matches Stratified.
    private static IEnumerable<int[]> ShuffledClasses(ImageDataset dataset, long seed)
    {
        var byClass = new List<int>[dataset.ClassNames.Count];
        for (var c = 0; c < byClass.Length; c++) byClass[c] = new List<int>();
        for (var i = 0; i < dataset.Count; i++) byClass[dataset.Label(i)].Add(i);
        for (var c = 0; c < byClass.Length; c++)
        {
            var members = byClass[c].ToArray();
            new SeededRandom(seed, stream: 0x5B1, substream: c).Shuffle(members.AsSpan());
            yield return members;
        }
    }
}
