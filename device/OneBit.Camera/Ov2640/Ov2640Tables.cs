namespace OneBit.Camera.Ov2640
{
    /// <summary>
    /// Register tables, as flat {register, value} pairs written in order (a 0xFF entry switches the bank).
    /// <para>Source of each value, tagged per line:</para>
    /// <list type="bullet">
    /// <item>[DS] OV2640 datasheet / software application note register description (documented meaning).</item>
    /// <item>[E] Espressif esp32-camera, sensors/private_include/ov2640_settings.h: <c>ov2640_settings_cif</c>,
    ///   <c>ov2640_settings_to_cif</c>, <c>ov2640_settings_rgb565</c>, <c>ov2640_settings_yuv422</c>.</item>
    /// <item>[A] ArduCAM Arduino library, ArduCAM/ov2640_regs.h <c>OV2640_QVGA</c> (the ArduCAM Mini 2MP BMP mode).</item>
    /// <item>[R] "reserved" registers the datasheet does not describe: OmniVision reference values, identical in [E]
    ///   and [A] unless a second tag says otherwise. They tune the analog front end; do not change them blindly.</item>
    /// <item>[C] computed by this driver (output size).</item>
    /// </list>
    /// The tables are this project's own selection: one CIF (400×296) sensor window for every low-resolution
    /// output, scaled by the DSP zoom to the requested size, YUV422 or RGB565 over the DVP port into the ArduChip FIFO.
    /// </summary>
    public static class Ov2640Tables
    {
        /// <summary>Sensor + DSP defaults, CIF window, DSP left in reset-released YUV mode. Written after the soft reset.</summary>
        public static readonly byte[] SensorCif = new byte[]
        {
            0xFF, 0x00, // BANK_SEL = DSP [DS]
            0x2C, 0xFF, // [R]
            0x2E, 0xDF, // [R]
            0xFF, 0x01, // BANK_SEL = sensor [DS]
            0x3C, 0x32, // [R]
            0x11, 0x01, // CLKRC: internal clock = input clock / 2 [DS][E] (ArduCAM QVGA uses /1: 0x00)
            0x09, 0x02, // COM2: output drive 3x [DS][E][A]
            0x04, 0xA8, // REG04: HFLIP + default bits 0x28, as the ArduCAM Mini mounts its sensor [A] (esp32-camera: 0x28)
            0x13, 0xE5, // COM8: banding filter, AGC auto, AEC auto (0xC0|0x20|0x04|0x01) [DS][E][A]
            0x14, 0x48, // COM9: AGC gain ceiling 8x [DS][E][A]
            0x2C, 0x0C, // [R]
            0x33, 0x78, // [R]
            0x3A, 0x33, // [R]
            0x3B, 0xFB, // [R]
            0x3E, 0x00, // [R]
            0x43, 0x11, // [R]
            0x16, 0x10, // [R]
            0x39, 0x92, // [R] CIF value [E] (UXGA window in [A]: 0x02)
            0x35, 0xDA, // [R] CIF value [E]
            0x22, 0x1A, // [R] CIF value [E]
            0x37, 0xC3, // [R] CIF value [E]
            0x23, 0x00, // [R]
            0x34, 0xC0, // ARCOM2 CIF value [E]
            0x06, 0x88, // [R]
            0x07, 0xC0, // [R]
            0x0D, 0x87, // COM4 CIF value [E]
            0x0E, 0x41, // [R] CIF value [E]
            0x4C, 0x00, // [R]
            0x4A, 0x81, // [R]
            0x21, 0x99, // [R]
            0x24, 0x40, // AEW: AEC/AGC upper limit [DS][E][A]
            0x25, 0x38, // AEB: AEC/AGC lower limit [DS][E][A]
            0x26, 0x82, // VV: fast-mode thresholds (8, 2) [DS][E][A]
            0x5C, 0x00, // [R]
            0x63, 0x00, // [R]
            0x61, 0x70, // HISTO_LOW [DS][E][A]
            0x62, 0x80, // HISTO_HIGH [DS][E][A]
            0x7C, 0x05, // [R]
            0x20, 0x80, // [R]
            0x28, 0x30, // [R]
            0x6C, 0x00, // [R]
            0x6D, 0x80, // [R]
            0x6E, 0x00, // [R]
            0x70, 0x02, // [R]
            0x71, 0x94, // [R]
            0x73, 0xC1, // [R]
            0x3D, 0x34, // [R]
            0x5A, 0x57, // [R]
            0x12, 0x20, // COM7: CIF resolution mode [DS][E]
            0x03, 0x0A, // COM1: CIF vertical window bits [E to_cif]
            0x17, 0x11, // HSTART: horizontal window start [DS][E]
            0x18, 0x43, // HSTOP [DS][E]
            0x19, 0x00, // VSTART [DS][E]
            0x1A, 0x25, // VSTOP [DS][E]
            0x32, 0x89, // REG32: CIF window low bits [E]
            0x37, 0xC0, // [R] CIF value [E]
            0x4F, 0xCA, // BD50: 50 Hz banding step, CIF [E]
            0x50, 0xA8, // BD60: 60 Hz banding step, CIF [E]
            0x6D, 0x00, // [R] CIF value [E]
            0x3D, 0x38, // [R] CIF value [E]
            0xFF, 0x00, // BANK_SEL = DSP [DS]
            0xE5, 0x7F, // [R]
            0xF9, 0xC0, // MC_BIST: microcontroller reset + boot ROM select [DS][E][A]
            0x41, 0x24, // [R]
            0xE0, 0x14, // RESET: hold JPEG and DVP in reset while configuring [DS][E]
            0x76, 0xFF, // [R]
            0x33, 0xA0, // [R]
            0x42, 0x20, // [R]
            0x43, 0x18, // [R]
            0x4C, 0x00, // [R]
            0x87, 0x50, // CTRL3: white-pixel correction on [DS][E] (ArduCAM: 0xD0 adds black-pixel correction)
            0x88, 0x3F, // [R]
            0xD7, 0x03, // [R]
            0xD9, 0x10, // [R]
            0xD3, 0x82, // R_DVP_SP: auto PCLK divider mode, divider 2 [DS][E]
            0xC8, 0x08, // [R]
            0xC9, 0x80, // [R]
            0x7C, 0x00, // BPADDR: special-effects table address 0 [DS]; values below [E][A]
            0x7D, 0x00, // BPDATA
            0x7C, 0x03, // BPADDR
            0x7D, 0x48, // BPDATA
            0x7D, 0x48, // BPDATA
            0x7C, 0x08, // BPADDR
            0x7D, 0x20, // BPDATA
            0x7D, 0x10, // BPDATA
            0x7D, 0x0E, // BPDATA
            0x90, 0x00, // gamma table address [R]; 16 values follow [E][A]
            0x91, 0x0E, 0x91, 0x1A, 0x91, 0x31, 0x91, 0x5A,
            0x91, 0x69, 0x91, 0x75, 0x91, 0x7E, 0x91, 0x88,
            0x91, 0x8F, 0x91, 0x96, 0x91, 0xA3, 0x91, 0xAF,
            0x91, 0xC4, 0x91, 0xD7, 0x91, 0xE8, 0x91, 0x20,
            0x92, 0x00, // [R] table address; 13 values follow [E]
            0x93, 0x06, 0x93, 0xE3, 0x93, 0x05, 0x93, 0x05,
            0x93, 0x00, 0x93, 0x04, 0x93, 0x00, 0x93, 0x00,
            0x93, 0x00, 0x93, 0x00, 0x93, 0x00, 0x93, 0x00,
            0x93, 0x00,
            0x96, 0x00, // [R] table address; 13 values follow [E][A]
            0x97, 0x08, 0x97, 0x19, 0x97, 0x02, 0x97, 0x0C,
            0x97, 0x24, 0x97, 0x30, 0x97, 0x28, 0x97, 0x26,
            0x97, 0x02, 0x97, 0x98, 0x97, 0x80, 0x97, 0x00,
            0x97, 0x00,
            0xA4, 0x00, // [R]
            0xA8, 0x00, // [R]
            0xC5, 0x11, // [R] AWB
            0xC6, 0x51, // [R] AWB
            0xBF, 0x80, // [R]
            0xC7, 0x10, // [R]
            0xB6, 0x66, // [R]
            0xB8, 0xA5, // [R]
            0xB7, 0x64, // [R]
            0xB9, 0x7C, // [R]
            0xB3, 0xAF, // [R]
            0xB4, 0x97, // [R]
            0xB5, 0xFF, // [R]
            0xB0, 0xC5, // [R]
            0xB1, 0x94, // [R]
            0xB2, 0x0F, // [R]
            0xC4, 0x5C, // [R]
            0xC3, 0xFD, // CTRL1: AWB, AEC-related DSP blocks on [DS][E]
            0x7F, 0x00, // [R]
            0xE5, 0x1F, // [R]
            0xE1, 0x67, // [R] YUV value [E]
            0xDD, 0x7F, // [R]
            0xDA, 0x00, // IMAGE_MODE: YUV422 until the format table [DS][E]
            0xE0, 0x00, // RESET: release [DS][E]
            0x05, 0x00, // R_BYPASS: DSP on [DS][E]
        };

        /// <summary>DSP input = the CIF window, before the output size (written by the driver, [C]).</summary>
        public static readonly byte[] DspCifWindow = new byte[]
        {
            0xFF, 0x00, // BANK_SEL = DSP [DS]
            0x05, 0x01, // R_BYPASS: bypass the DSP while resizing [DS][E]
            0xE0, 0x04, // RESET: DVP [DS][E]
            0xC0, 0x32, // HSIZE8 = 400 / 8: sensor output width [DS][E to_cif]
            0xC1, 0x25, // VSIZE8 = 296 / 8 [DS][E to_cif]
            0x8C, 0x00, // SIZEL: low bits of HSIZE/VSIZE [DS][E to_cif]
            0x51, 0x64, // HSIZE = 400 / 4: image window width [DS][E to_cif]
            0x52, 0x4A, // VSIZE = 296 / 4 [DS][E to_cif]
            0x53, 0x00, // XOFFL [DS][E to_cif]
            0x54, 0x00, // YOFFL [DS][E to_cif]
            0x55, 0x00, // VHYX: high bits of sizes and offsets [DS][E to_cif]
            0x57, 0x00, // TEST [E to_cif]
            0x86, 0x3D, // CTRL2: DCW (downsize) + SDE + UV adjust + UV average + CMX enabled [DS][E to_cif]
            0x50, 0x80, // CTRLI: LP_DP, no extra dividers [DS][E to_cif]
            0xD3, 0x82, // R_DVP_SP: auto mode, PCLK divider 2 [DS][E to_cif]
        };

        /// <summary>RGB565, high byte first (IMAGE_MODE bit 0 clear) [E ov2640_settings_rgb565].</summary>
        public static readonly byte[] Rgb565 = new byte[]
        {
            0xFF, 0x00, // BANK_SEL = DSP
            0xE0, 0x04, // RESET: DVP while switching format [DS][E]
            0xDA, 0x08, // IMAGE_MODE: RGB565 [DS][E]
            0xD7, 0x03, // [R][E]
            0xE1, 0x77, // [R][E]
            0xE0, 0x00, // RESET: release [DS][E]
        };

        /// <summary>YUV422 (the driver keeps only Y for Gray8) [E ov2640_settings_yuv422].</summary>
        public static readonly byte[] Yuv422 = new byte[]
        {
            0xFF, 0x00, // BANK_SEL = DSP
            0xE0, 0x04, // RESET: DVP [DS][E]
            0xDA, 0x00, // IMAGE_MODE: YUV422 [DS][E]
            0xD7, 0x01, // [R][E]
            0xE1, 0x67, // [R][E]
            0xE0, 0x00, // RESET: release [DS][E]
        };
    }
}
