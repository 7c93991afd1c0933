using BioNer.Translation;
using static BioNer.Tests.Translation.Fakes;

namespace BioNer.Tests.Translation;

public class AlignProjectionTests
{
    private static ProjectionResult Project(string sentence, params (string Type, string Text)[] entities) =>
        AlignProjection.Project(sentence, entities.Select(e => new AlignedEntity(e.Type, e.Text)).ToList());

    [Theory]
    [InlineData("La aspirina bloquea la COX-2 .", "aspirina", "La aspirina/B-Chemical bloquea la COX/B-Protein -/I-Protein 2/I-Protein .")]
    [InlineData("La aspirina bloquea la COX-2 .", "Aspirina", "La aspirina/B-Chemical bloquea la COX/B-Protein -/I-Protein 2/I-Protein .")] // case
    [InlineData("La aspirina bloquea la COX-2 .", "Aspirina.", "La aspirina/B-Chemical bloquea la COX/B-Protein -/I-Protein 2/I-Protein .")] // punctuation around a lone entity
    [InlineData("La ASPIRÍNA bloquea la COX-2 .", "aspirina", "La ASPIRÍNA/B-Chemical bloquea la COX/B-Protein -/I-Protein 2/I-Protein .")] // accents
    public void Project_FoundAtSomeLevel_LabelsWords(string sentence, string chemical, string expected)
    {
        var result = Project(sentence, ("Chemical", chemical), ("Protein", "COX-2"));
        Assert.True(result.Kept, result.Detail);
        Assert.Equal(expected, Render(result.Words, result.Labels));
    }

    [Fact]
    public void Project_EntityMissing_DropsSentenceAndCountsBoth()
    {
        var result = Project("Tomar ácido bloquea la COX-2 .", ("Chemical", "aspirina"), ("Protein", "COX-2"));
        Assert.Equal(ProjectionDrop.EntityNotFound, result.Drop);
        Assert.Equal([("Chemical", ProjectionDrop.EntityNotFound), ("Protein", ProjectionDrop.SentenceDropped)], result.DroppedEntities);
    }

    [Fact]
    public void Project_EntityTwiceButSentOnce_IsAmbiguous()
    {
        var result = Project("la aspirina y la aspirina", ("Chemical", "aspirina"));
        Assert.Equal(ProjectionDrop.EntityAmbiguous, result.Drop);
    }

    [Fact]
    public void Project_IdenticalEntitiesFoundAsOften_LabelsAll()
    {
        var result = Project("la aspirina y la aspirina", ("Chemical", "aspirina"), ("Chemical", "aspirina"));
        Assert.Equal("la aspirina/B-Chemical y la aspirina/B-Chemical", Render(result.Words, result.Labels));
    }

    [Fact]
    public void Project_IdenticalTextsWithDifferentTypes_IsAmbiguous() =>
        Assert.Equal(ProjectionDrop.EntityAmbiguous, Project("p53 y p53", ("Protein", "p53"), ("Gene", "p53")).Drop);

    [Fact]
    public void Project_OverlappingMatches_IsAmbiguous() =>
        Assert.Equal(ProjectionDrop.EntityAmbiguous, Project("la COX-2 humana", ("Protein", "COX-2"), ("Protein", "COX")).Drop);

    [Fact]
    public void Project_ExactBeatsCaseInsensitive_NoAmbiguity()
    {
        // "Aspirina" exactly once; case-insensitively twice. The exact level decides.
        var result = Project("Aspirina y aspirina", ("Chemical", "Aspirina"));
        Assert.Equal("Aspirina/B-Chemical y aspirina", Render(result.Words, result.Labels));
    }

    [Fact]
    public void Project_NoEntities_KeepsSentence()
    {
        var result = Project("Nada que ver 🧪 αβ.");
        Assert.Equal("Nada que ver 🧪 αβ .", Render(result.Words, result.Labels));
    }

    [Theory]
    [InlineData("ácido", "acido")]
    [InlineData("Ñandú", "Nandu")]
    [InlineData("Ångström", "Angstrom")]
    [InlineData("α-βγ", "α-βγ")]
    [InlineData("άλφα", "αλφα")]
    [InlineData("🧪", "🧪")]
    public void RemoveAccents_Text_StripsMarks(string text, string expected) =>
        Assert.Equal(expected, AlignProjection.RemoveAccents(text));
}
