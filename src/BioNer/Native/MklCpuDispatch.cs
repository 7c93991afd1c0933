using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace BioNer.Native;

/// <summary>
/// Lets libtorch's Intel MKL use its AVX-512 fp32 kernels on AMD CPUs.
/// Why: libtorch (libtorch-cpu-linux-x64) carries MKL statically, and MKL picks its GEMM kernels by asking
/// <c>mkl_serv_intel_cpu_true()</c> whether the CPU is an Intel one; on AMD it answers no and MKL stays on its AVX2 path
/// even on CPUs with AVX-512 (Zen 4/5). Measured here (AMD EPYC, 2048³ fp32): 86 GFLOP/s per core as shipped, 199 with
/// the AVX-512 path (benchmarks/RESULTS.md, "Matmul peak"). libtorch_cpu.so calls that
/// function through its PLT (an <c>R_X86_64_JUMP_SLOT</c> relocation), so a definition that is already in the process's
/// global symbol scope when libtorch loads takes precedence. This class builds that definition: a 4 KiB ELF shared
/// object whose one function returns 1, written to an anonymous memory file (<c>memfd_create</c>, nothing on disk) and
/// opened with <c>dlopen(RTLD_NOW | RTLD_GLOBAL)</c>. It runs from <see cref="NativeSetup"/> (module initializer), before
/// any TorchSharp call, only on Linux x64 with an AMD CPU, and not when <c>BIONER_MKL_CPU_DISPATCH=0</c>.
/// MKL still checks the CPU's features itself (cpuid), so it never uses an instruction the CPU lacks.
/// </summary>
public static class MklCpuDispatch
{
    /// <summary>The MKL service function that answers "is this an Intel CPU?" (exported by libtorch_cpu.so).</summary>
    public const string FunctionName = "mkl_serv_intel_cpu_true";

    /// <summary>Environment variable that turns the override off (<c>0</c>).</summary>
    public const string DisableVariable = "BIONER_MKL_CPU_DISPATCH";

    /// <summary>What <see cref="Apply"/> did, for logs and benchmarks: "applied", or why not.</summary>
    public static string Status { get; private set; } = "not run";

    private static bool _done;

    /// <summary>
    /// Loads the override when it applies (Linux x64, AMD CPU, not disabled); idempotent. Effective only before libtorch
    /// is loaded (the first <c>torch</c> call of the process). Returns whether the override is now in the global scope.
    /// </summary>
    public static bool Apply()
    {
        if (_done) return Status == "applied";
        _done = true;
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return Skip("not Linux x64");
        if (Environment.GetEnvironmentVariable(DisableVariable) == "0") return Skip($"{DisableVariable}=0");
        if (CpuVendor() != "AuthenticAMD") return Skip($"CPU vendor {CpuVendor()}");
        try
        {
            return Load(BuildSharedObject()) ? Applied() : Skip("dlopen failed");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or IOException)
        {
            return Skip(e.Message);       // no libc memfd/dlopen: run with MKL's own choice, as without BioNer
        }
    }

    private static bool Skip(string why)
    {
        Status = "skipped: " + why;
        return false;
    }

    private static bool Applied()
    {
        Status = "applied";
        return true;
    }

    /// <summary>The 12-character vendor string from cpuid leaf 0 ("GenuineIntel", "AuthenticAMD", ...), or "" off x86.</summary>
    public static string CpuVendor()
    {
        if (!X86Base.IsSupported) return "";
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, ebx);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], edx);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[8..], ecx);
        return Encoding.ASCII.GetString(bytes);
    }

    /// <summary>
    /// The shared object, as bytes: ELF64 x86-64 <c>ET_DYN</c> with no section headers (the dynamic loader needs none).
    /// Page 0 (read + execute): ELF header, 4 program headers, SysV hash table, dynamic symbols, strings, and the code
    /// <c>mov eax, 1; ret</c>. Page 1 (read + write): the dynamic section. <c>PT_GNU_STACK</c> says the stack stays
    /// non-executable.
    /// </summary>
    public static byte[] BuildSharedObject()
    {
        const int page = 0x1000, ehdr = 64, phdr = 56, phnum = 4, sym = 24;
        byte[] strtab = Encoding.ASCII.GetBytes("\0" + FunctionName + "\0libbioner-mkl-dispatch.so\0");
        int nameOff = 1, sonameOff = 1 + FunctionName.Length + 1;
        int hashAt = ehdr + phnum * phdr;                    // nbucket, nchain, bucket[1], chain[2]: 5 × 4 bytes
        int symAt = Align(hashAt + 5 * 4, 8);
        int strAt = symAt + 2 * sym;
        int textAt = Align(strAt + strtab.Length, 16);
        byte[] code = [0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3]; // mov eax, 1; ret
        int textEnd = textAt + code.Length;
        int dynAt = page;
        (long Tag, long Value)[] dynamic =
        [
            (4, hashAt), (5, strAt), (6, symAt), (10, strtab.Length), (11, sym), (14, sonameOff), (0, 0),
        ];
        int dynSize = dynamic.Length * 16;
        var image = new byte[dynAt + dynSize];
        var s = image.AsSpan();

        // ELF header
        "\u007fELF"u8.CopyTo(s);
        s[4] = 2; s[5] = 1; s[6] = 1;                         // 64-bit, little-endian, version 1, System V ABI
        W16(s, 16, 3); W16(s, 18, 62); W32(s, 20, 1);        // ET_DYN, EM_X86_64, EV_CURRENT
        W64(s, 32, ehdr);                                    // e_phoff (e_entry and e_shoff stay 0)
        W16(s, 52, ehdr); W16(s, 54, phdr); W16(s, 56, phnum); W16(s, 58, 64);

        // Program headers: text PT_LOAD (R+X), data PT_LOAD (R+W), PT_DYNAMIC, PT_GNU_STACK (R+W)
        Phdr(s, ehdr + 0 * phdr, 1, 5, 0, textEnd, page);
        Phdr(s, ehdr + 1 * phdr, 1, 6, dynAt, dynSize, page);
        Phdr(s, ehdr + 2 * phdr, 2, 6, dynAt, dynSize, 8);
        Phdr(s, ehdr + 3 * phdr, 0x6474E551, 6, 0, 0, 16);

        // SysV hash: one bucket holding symbol 1; chains end at 0
        W32(s, hashAt, 1); W32(s, hashAt + 4, 2); W32(s, hashAt + 8, 1); W32(s, hashAt + 12, 0); W32(s, hashAt + 16, 0);

        // Symbol 1: global function, default visibility, defined (section index 1 of a section-less file is only a
        // "not undefined" marker for the loader), value = code address, size 6
        int s1 = symAt + sym;
        W32(s, s1, nameOff);
        s[s1 + 4] = 0x12;                                    // STB_GLOBAL << 4 | STT_FUNC
        W16(s, s1 + 6, 1);
        W64(s, s1 + 8, textAt);
        W64(s, s1 + 16, code.Length);

        strtab.CopyTo(s[strAt..]);
        code.CopyTo(s[textAt..]);
        for (int i = 0; i < dynamic.Length; i++)
        {
            W64(s, dynAt + 16 * i, dynamic[i].Tag);
            W64(s, dynAt + 16 * i + 8, dynamic[i].Value);
        }
        return image;
    }

    private static int Align(int value, int to) => (value + to - 1) / to * to;

    private static void W16(Span<byte> s, int at, int v) => BinaryPrimitives.WriteUInt16LittleEndian(s[at..], (ushort)v);

    private static void W32(Span<byte> s, int at, long v) => BinaryPrimitives.WriteUInt32LittleEndian(s[at..], (uint)v);

    private static void W64(Span<byte> s, int at, long v) => BinaryPrimitives.WriteInt64LittleEndian(s[at..], v);

    private static void Phdr(Span<byte> s, int at, uint type, uint flags, long offset, long size, long align)
    {
        W32(s, at, type);
        W32(s, at + 4, flags);
        W64(s, at + 8, offset);                              // p_offset
        W64(s, at + 16, offset);                             // p_vaddr (file offsets and addresses coincide)
        W64(s, at + 24, offset);                             // p_paddr
        W64(s, at + 32, size);                               // p_filesz
        W64(s, at + 40, size);                               // p_memsz
        W64(s, at + 48, align);
    }

    /// <summary>Writes <paramref name="image"/> to an anonymous memory file and opens it with RTLD_NOW | RTLD_GLOBAL.</summary>
    /// <returns>True when the loader accepted it.</returns>
    internal static bool Load(byte[] image) => Open(image, global: true) != IntPtr.Zero;

    /// <summary>
    /// dlopen of <paramref name="image"/> through <c>/proc/self/fd</c> of a <c>memfd_create</c> file; returns the handle
    /// (<see cref="IntPtr.Zero"/> when refused). The descriptor is closed after loading: the mapping keeps the pages.
    /// </summary>
    internal static IntPtr Open(byte[] image, bool global)
    {
        int fd = MemfdCreate("bioner-mkl-dispatch", 1 /* MFD_CLOEXEC */);
        if (fd < 0) throw new IOException($"memfd_create failed (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            int written = 0;
            while (written < image.Length)
            {
                long n = Write(fd, ref image[written], image.Length - written);
                if (n <= 0) throw new IOException($"write to memfd failed (errno {Marshal.GetLastPInvokeError()})");
                written += (int)n;
            }
            const int RtldNow = 2, RtldGlobal = 0x100;
            return DlOpen($"/proc/self/fd/{fd}", RtldNow | (global ? RtldGlobal : 0));
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>The address of <paramref name="name"/> in a handle from <see cref="Open"/>, or zero.</summary>
    internal static IntPtr Symbol(IntPtr handle, string name) => DlSym(handle, name);

    [DllImport("libc", EntryPoint = "memfd_create", SetLastError = true)]
    private static extern int MemfdCreate([MarshalAs(UnmanagedType.LPUTF8Str)] string name, uint flags);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern long Write(int fd, ref byte buffer, long count);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern IntPtr DlOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "dlsym")]
    private static extern IntPtr DlSym(IntPtr handle, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
