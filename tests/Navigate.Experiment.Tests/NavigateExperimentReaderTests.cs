using Navigate.Data;
using Navigate.Devices;
using Navigate.Experiment;

namespace Navigate.Experiment.Tests;

public sealed class NavigateExperimentReaderTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Fact]
    public void A_saved_navigate_experiment_becomes_acquisition_metadata()
    {
        var m = NavigateExperimentReader.Read(Fixture("experiment.yml"), Fixture("configuration.yaml"));

        Assert.Equal("Mesoscale", m.MicroscopeName);
        Assert.Equal((1024, 512), (m.Width, m.Height)); // CameraParameters.Mesoscale, not the flat defaults
        Assert.Equal(11, m.ZSteps);                     // number_z_steps: 11.0 in z-stack mode
        Assert.Equal(3, m.Timepoints);
        Assert.Equal(2, m.Channels);                    // channel_1 and channel_3 are selected
        Assert.Equal(2, m.Positions);                   // is_multiposition: True, two MultiPositions
        Assert.True(m.IsDynamic);
        Assert.False(m.PerStack);                       // stack_cycling_mode: per_z
        Assert.Equal(new VoxelSize(0.97, 0.97, 2.0), m.VoxelSize); // pixel_size[6.3x]; |step_size|
        Assert.Equal(30.5, m.TimeIntervalSeconds);
        Assert.Equal(PixelType.UInt16, m.PixelType);
        Assert.Equal(16, m.BitDepth);

        Assert.Equal(
            [new ChannelInfo("CH00", "00FF00", "488nm", "Empty-Alignment", 20.0, 0.1), new ChannelInfo("CH01", "FF00FF", "642nm", "Far-Red - BLP01-647R/31-32", 35.5, 0.05)],
            m.ChannelInfos);
        Assert.Equal(
            [new StagePosition(15000, 12000, 15500, 0, 70000), new StagePosition(35000, 42000, 15520.5, 90, 70100)],
            m.StagePositions);
        Assert.Equal("z=f", m.Extras["coupled_axes"]);
        Assert.Equal("Kevin", m.Extras["saving.user"]);
        Assert.Equal("z-stack", m.Extras["image_mode"]);
        m.Validate();
    }

    [Fact]
    public void Without_a_configuration_the_pixel_size_is_navigates_default_of_1()
    {
        var m = NavigateExperimentReader.Read(Fixture("experiment.yml"));
        Assert.Equal(new VoxelSize(1, 1, 2), m.VoxelSize);
    }

    [Fact]
    public void Single_position_experiments_use_the_stage_position_and_modes_follow_navigate()
    {
        var text = File.ReadAllText(Fixture("experiment.yml"))
            .Replace("is_multiposition: True", "is_multiposition: False", StringComparison.Ordinal)
            .Replace("image_mode: z-stack", "image_mode: continuous", StringComparison.Ordinal)
            .Replace("stack_cycling_mode: per_z", "stack_cycling_mode: per_stack", StringComparison.Ordinal);
        var m = NavigateExperimentReader.Parse(text);
        Assert.Equal(1, m.Positions);
        Assert.False(m.IsDynamic);
        Assert.Equal(1, m.ZSteps); // not a z-stack mode
        Assert.True(m.PerStack);
        Assert.Equal([new StagePosition(16000, 53941.67, 47100, 55, 66122.8)], m.StagePositions);

        var single = NavigateExperimentReader.Parse(text.Replace("image_mode: continuous", "image_mode: single", StringComparison.Ordinal));
        Assert.False(single.PerStack); // navigate: per_stack only when image_mode != single

        var customized = NavigateExperimentReader.Parse(text.Replace("image_mode: continuous", "image_mode: customized", StringComparison.Ordinal));
        Assert.True(customized.IsDynamic);
        Assert.Equal(11, customized.ZSteps);
    }

    [Fact]
    public void The_microscope_can_be_chosen_and_old_flat_camera_parameters_are_read()
    {
        var m = NavigateExperimentReader.Parse(File.ReadAllText(Fixture("experiment.yml")), File.ReadAllText(Fixture("configuration.yaml")), "Nanoscale");
        Assert.Equal((2048, 2048), (m.Width, m.Height));
        Assert.Equal(1, m.VoxelSize.X); // zoom 6.3x has no pixel size on Nanoscale: navigate's .get(zoom, 1)

        var flat = File.ReadAllText(Fixture("experiment.yml")).Replace("  Mesoscale:\n    x_pixels", "  Other:\n    x_pixels", StringComparison.Ordinal);
        var f = NavigateExperimentReader.Parse(flat);
        Assert.Equal((2048, 2048), (f.Width, f.Height));
    }

    [Fact]
    public void Multipositions_as_mappings_are_read()
    {
        var text = File.ReadAllText(Fixture("experiment.yml")).Replace(
            "  [[15000.0, 12000.0, 15500.0, 0.0, 70000.0], [35000.0, 42000.0, 15520.5, 90.0, 70100.0]]",
            "  - {X: 1.5, Y: 2.5, Z: 3.5, THETA: 0, F: 4}\n  - {X: 5, Y: 6, Z: 7, THETA: 8, F: 9}",
            StringComparison.Ordinal);
        var m = NavigateExperimentReader.Parse(text);
        Assert.Equal([new StagePosition(1.5, 2.5, 3.5, 0, 4), new StagePosition(5, 6, 7, 8, 9)], m.StagePositions);
    }

    [Theory]
    [InlineData("  timepoints: 3\n", "  timepoints: three\n", "experiment.yml: MicroscopeState.timepoints is 'three'; expected a number.")]
    [InlineData("  timepoints: 3\n", "  timepoints: 0\n", "experiment.yml: MicroscopeState.timepoints is '0'; expected a whole number of at least 1.")]
    [InlineData("  number_z_steps: 11.0\n", "  number_z_steps: 10.5\n", "experiment.yml: MicroscopeState.number_z_steps is '10.5'; expected a whole number of at least 1.")]
    [InlineData("  step_size: -2.0\n", "", "experiment.yml: MicroscopeState.step_size is missing.")]
    [InlineData("'is_selected': True, 'laser': '488nm'", "'is_selected': Maybe, 'laser': '488nm'", "experiment.yml: MicroscopeState.channels.channel_1.is_selected is 'Maybe'; expected True or False.")]
    [InlineData("  is_multiposition: True\n", "  is_multiposition: True\n  extra: [1\n", "experiment.yml: is not valid YAML")]
    [InlineData("MultiPositions:\n  [[15000.0, 12000.0, 15500.0, 0.0, 70000.0], [35000.0, 42000.0, 15520.5, 90.0, 70100.0]]", "MultiPositions: []", "experiment.yml: MultiPositions is a list of 0; expected a non-empty list of positions (is_multiposition is True).")]
    [InlineData("'channel_1': {'is_selected': True", "'channel_1': {'is_selected': False", "experiment.yml: MicroscopeState.channels has no channel with is_selected: True")]
    public void Bad_experiments_name_the_key_and_value(string find, string replace, string message)
    {
        var text = File.ReadAllText(Fixture("experiment.yml"));
        Assert.Contains(find, text, StringComparison.Ordinal);
        text = text.Replace(find, replace, StringComparison.Ordinal);
        if (message.Contains("has no channel", StringComparison.Ordinal))
        {
            text = text.Replace("'channel_3': {'is_selected': True", "'channel_3': {'is_selected': False", StringComparison.Ordinal);
        }

        var e = Assert.Throws<NavigateExperimentException>(() => NavigateExperimentReader.Parse(text));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_microscope_state_is_refused()
    {
        var e = Assert.Throws<NavigateExperimentException>(() => NavigateExperimentReader.Parse("User:\n  name: x\n"));
        Assert.Equal("experiment.yml: MicroscopeState is missing.", e.Message);
        e = Assert.Throws<NavigateExperimentException>(() => NavigateExperimentReader.Parse("- 1\n- 2\n"));
        Assert.Contains("expected a YAML mapping at the top", e.Message, StringComparison.Ordinal);
    }
}
