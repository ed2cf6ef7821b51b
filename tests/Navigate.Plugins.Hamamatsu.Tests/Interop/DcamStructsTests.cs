using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Navigate.Plugins.Hamamatsu.Interop;
using Navigate.Plugins.Hamamatsu.Tests.Simulator;

namespace Navigate.Plugins.Hamamatsu.Tests.Interop;

public sealed class DcamStructsTests
{
    // Sizes and offsets from dcamapi4.h for x64 (pack 8): shared/reference/dcam-abi.md.
    public static TheoryData<Type, int, int[]> Documented => new()
    {
        { typeof(DcamApiInit), 32, [0, 4, 8, 12, 16, 24] },
        { typeof(DcamDevOpen), 16, [0, 4, 8] },
        { typeof(DcamDevString), 24, [0, 4, 8, 16] },
        { typeof(DcamPropAttr), 88, [0, 4, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 68, 72, 76, 80, 84] },
        { typeof(DcamBufAttach), 24, [0, 4, 8, 16] },
        { typeof(DcamCapTransferInfo), 16, [0, 4, 8, 12] },
        { typeof(DcamWaitOpen), 24, [0, 4, 8, 16] },
        { typeof(DcamWaitStart), 16, [0, 4, 8, 12] },
    };

    // The simulator's numbering of the same structs (dcamsim_layout).
    private static readonly Type[] SimulatorOrder =
    [
        typeof(DcamApiInit), typeof(DcamDevOpen), typeof(DcamDevString), typeof(DcamPropAttr),
        typeof(DcamBufAttach), typeof(DcamCapTransferInfo), typeof(DcamWaitOpen), typeof(DcamWaitStart),
    ];

    [Theory]
    [MemberData(nameof(Documented))]
    public void Struct_has_the_documented_size_and_field_offsets(Type type, int size, int[] offsets)
    {
        Assert.Equal(size, SizeOf(type));
        Assert.Equal(size, Marshal.SizeOf(type));
        Assert.Equal(offsets, Fields(type).Select(f => (int)Marshal.OffsetOf(type, f.Name)).ToArray());
    }

    [Theory]
    [MemberData(nameof(Documented))]
    public void Struct_matches_the_layout_a_C_compiler_gives_the_header(Type type, int size, int[] offsets)
    {
        DcamSim.RequireBuilt();
        var index = Array.IndexOf(SimulatorOrder, type);
        Assert.Equal(size, DcamSim.Layout(index, -1));
        var fields = Fields(type);
        for (var i = 0; i < fields.Length; i++)
        {
            Assert.True(
                DcamSim.Layout(index, i) == (int)Marshal.OffsetOf(type, fields[i].Name),
                $"{type.Name}.{fields[i].Name}: C offset {DcamSim.Layout(index, i)}, C# offset {Marshal.OffsetOf(type, fields[i].Name)}");
        }

        Assert.Equal(offsets.Length, fields.Length);
        Assert.Equal(-1, DcamSim.Layout(index, fields.Length));
    }

    [Fact]
    public void Every_struct_is_blittable()
    {
        foreach (var type in SimulatorOrder)
        {
            var isReference = typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!.MakeGenericMethod(type);
            Assert.False((bool)isReference.Invoke(null, null)!, type.Name);
        }
    }

    private static FieldInfo[] Fields(Type type) => type.GetFields(BindingFlags.Public | BindingFlags.Instance).OrderBy(f => (int)Marshal.OffsetOf(type, f.Name)).ToArray();

    private static int SizeOf(Type type) => (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;
}
