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
        var byClass = new List<int>[dataset.ClassNames.Count];
        for (var c = 0; c < byClass.Length; c++) byClass[c] = new List<int>();
        for (var i = 0; i < dataset.Count; i++) byClass[dataset.Label(i)].Add(i);

        var train = new List<int>(dataset.Count);
        var validation = new List<int>();
        for (var c = 0; c < byClass.Length; c++)
        {
            var members = byClass[c].ToArray();
            new SeededRandom(seed, stream: 0x5B1, substream: c).Shuffle(members.AsSpan());
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
}
