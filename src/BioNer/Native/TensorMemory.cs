using System.Runtime.InteropServices;
using TorchSharp;

namespace BioNer.Native;

/// <summary>
/// The address of a CPU tensor's first element, for code that runs its own loops over a tensor's memory (the fused
/// AdamW's single pass over its contiguous buffers). Why here: TorchSharp keeps this pointer private (its
/// <c>TensorAccessor</c> reads element by element through an indexer), and the one C export it uses for it,
/// <c>THSTensor_data</c> of LibTorchSharp, is loaded in every process that has created a tensor.
/// </summary>
public static class TensorMemory
{
    /// <summary>
    /// Pointer to element 0 of <paramref name="t"/>. Refuses what a flat loop cannot walk: a tensor that is not on the
    /// CPU, not contiguous, or not of <paramref name="expected"/> element type. Valid while <paramref name="t"/> (or
    /// another view of its storage) is alive.
    /// </summary>
    public static IntPtr DataPointer(torch.Tensor t, torch.ScalarType expected)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.device_type != DeviceType.CPU) throw new ArgumentException($"tensor is on {t.device}, not the CPU", nameof(t));
        if (t.dtype != expected) throw new ArgumentException($"tensor is {t.dtype}, expected {expected}", nameof(t));
        if (!t.is_contiguous()) throw new ArgumentException("tensor is not contiguous", nameof(t));
        if (t.numel() == 0) return IntPtr.Zero;
        var p = THSTensor_data(t.Handle);
        if (p == IntPtr.Zero) throw new InvalidOperationException("libtorch returned no data pointer");
        return p;
    }

    [DllImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static extern IntPtr THSTensor_data(IntPtr handle);
}
