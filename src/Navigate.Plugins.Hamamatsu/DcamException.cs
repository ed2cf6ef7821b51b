using System.Globalization;
using Navigate.Plugins.Hamamatsu.Interop;

namespace Navigate.Plugins.Hamamatsu;

/// <summary>
/// A DCAM-API function returned an error (a negative <c>DCAMERR</c>). The message names the function, the property
/// involved (if any), the error's DCAM name and its hex code, e.g.
/// <c>dcamprop_setgetvalue(EXPOSURE TIME (0x001F0110), value 99) failed: DCAMERR_OUTOFRANGE (0x80000822)</c>.
/// </summary>
public sealed class DcamException : Exception
{
    /// <summary>Creates the exception for <paramref name="errorCode"/> returned by <paramref name="function"/>.</summary>
    /// <param name="errorCode">The <c>DCAMERR</c> value (negative).</param>
    /// <param name="function">The DCAM-API function, e.g. <c>dcamprop_setgetvalue</c>.</param>
    /// <param name="propertyId">The DCAM property id the call was about, if any.</param>
    /// <param name="detail">More context (a value, a camera), appended to the call in the message.</param>
    public DcamException(int errorCode, string function, int? propertyId = null, string? detail = null)
        : base(Format(errorCode, function, propertyId, detail))
    {
        ErrorCode = errorCode;
        ErrorName = DcamErrors.Name(errorCode);
        Function = function;
        PropertyId = propertyId;
        PropertyName = propertyId is { } id ? DcamProperties.Describe(id) : null;
    }

    /// <summary>The <c>DCAMERR</c> value as the function returned it (negative for errors).</summary>
    public int ErrorCode { get; }

    /// <summary>The error's DCAM name without the <c>DCAMERR_</c> prefix (<c>OUTOFRANGE</c>), or <c>UNKNOWN</c>.</summary>
    public string ErrorName { get; }

    /// <summary>The DCAM-API function that failed.</summary>
    public string Function { get; }

    /// <summary>The DCAM property id involved, if any.</summary>
    public int? PropertyId { get; }

    /// <summary>The property's DCAM name and id (<c>EXPOSURE TIME (0x001F0110)</c>), if any.</summary>
    public string? PropertyName { get; }

    private static string Format(int errorCode, string function, int? propertyId, string? detail)
    {
        var arguments = new List<string>(2);
        if (propertyId is { } id)
        {
            arguments.Add(DcamProperties.Describe(id));
        }

        if (!string.IsNullOrEmpty(detail))
        {
            arguments.Add(detail);
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{function}({string.Join(", ", arguments)}) failed: DCAMERR_{DcamErrors.Name(errorCode)} (0x{unchecked((uint)errorCode):X8})");
    }
}
