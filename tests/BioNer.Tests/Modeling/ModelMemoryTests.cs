using BioNer.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Tests.Modeling;

/// <summary>Forward passes under a per-batch dispose scope leave no tensors behind; dropout only in train mode.</summary>
public class ModelMemoryTests
{
    [Fact]
    public void Forward_TwentyBatchesEachInOwnScope_LiveTensorCountStaysFlat()
    {
        using var model = CheckpointLoader.Load(ModelTestData.TinyDir);
        var golden = ModelTestData.Outputs;
        using var ids = golden.IdsTensor();
        using var mask = golden.MaskTensor();
        RunBatch(model, ids, mask); // warm-up: lazily created state is not a leak
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (int step = 0; step < 20; step++) RunBatch(model, ids, mask);

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Forward_TrainMode_DropoutChangesOutputs_EvalModeDeterministic()
    {
        using var model = CheckpointLoader.Load(ModelTestData.TinyDir);
        var golden = ModelTestData.Outputs;
        using var ids = golden.IdsTensor();
        using var mask = golden.MaskTensor();

        var eval1 = ModelTestData.Logits(model, ids, mask);
        var eval2 = ModelTestData.Logits(model, ids, mask);
        model.train();
        var train = ModelTestData.Logits(model, ids, mask);

        Assert.Equal(eval1, eval2);
        Assert.True(ModelTestData.MaxAbsDiff(eval1, train) > 1e-3);
    }

    [Fact]
    public void Create_InsideCallerDisposeScope_ParametersOutliveTheScope()
    {
        BioNer.Modeling.TokenClassifier model;
        using (NewDisposeScope()) model = BioNer.Modeling.ModelFactory.Create(ModelTestData.TinyConfig("bert"), seed: 1);
        using (model)
        {
            using var ids = ones(1, 4, ScalarType.Int64);
            using var mask = ones(1, 4, ScalarType.Int64);
            Assert.Equal(4 * 5, ModelTestData.Logits(model, ids, mask).Length);
        }
    }

    private static float RunBatch(nn.Module<Tensor, Tensor, Tensor?, Tensor> model, Tensor ids, Tensor mask)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return model.call(ids, mask, null).sum().item<float>();
    }
}
