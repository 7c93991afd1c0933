using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Tests;

/// <summary>Proves libtorch loads on this machine (the GLIBCXX patch in Directory.Build.targets) and autograd works.</summary>
public class TorchSmokeTests
{
    [Fact]
    public void LinearForwardBackward_SmallBatch_GradientsMatchAnalytic()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        var lin = nn.Linear(3, 2);
        var x = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        var loss = lin.call(x).sum();
        loss.backward();
        // d(sum(xW^T+b))/dW[j,k] = sum_i x[i,k]  -> [5,7,9] for every output row.
        var g = lin.weight!.grad!.data<float>().ToArray();
        Assert.Equal(new float[] { 5, 7, 9, 5, 7, 9 }, g);
        Assert.Equal(new float[] { 2, 2 }, lin.bias!.grad!.data<float>().ToArray());
    }
}
