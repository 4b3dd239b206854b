/// The files `qpress init` writes: a small site that builds cleanly and shows every content type.
enum Starter {
    static func files(title: String) -> [(String, String)] {
        configuration(title: title) + documents + themeFiles
    }

    /// `site.yml` and the slogans.
    static func configuration(title: String) -> [(String, String)] {
        [
            ("Content/site.yml", """
            title: \(Scaffold.yamlString(title))
            description: 机械行业“质量月”活动信息、质量品牌故事与质量管理论文。
            base_url: /
            language: zh-CN
            organisation: \(Scaffold.yamlString(title))
            per_page: 10
            navigation:
              - title: 首页
                url: /
              - title: 品牌故事
                url: /stories/
              - title: 管理论文
                url: /papers/
              - title: 活动口号
                url: /slogans/
              - title: 搜索
                url: /search/

            """),
            ("Content/slogans.yml", """
            title: 2020年全国“质量月”活动口号
            year: 2020
            theme: 建设质量强国 决胜全面小康
            slogans:
              - 中国质量 共创共享
              - 弘扬工匠精神 打造优质品牌
              - 加强全面质量管理 推动经济高质量发展

            """),
        ]
    }

    /// One story, one paper and one page, so every content type shows.
    static let documents: [(String, String)] = [
        ("Content/stories/first-story.md", """
        ---
        title: 一颗齿轮的三十年
        company: 示例齿轮厂（示例企业）
        author: 张明
        date: 2020-09-15
        industry: 通用机械
        summary: 一家齿轮厂用三十年时间，把“差不多”变成了“零缺陷”。
        tags: [工匠精神, 质量改进]
        cover: /assets/images/gear.svg
        ---

        ## 从“差不多”开始

        三十年前，车间里最常听到的一句话是“差不多就行”。全面质量管理推行以后，每一道工序都有了标准化作业指导书。

        ## 可靠性是做出来的

        工厂建立了可靠性增长试验台，并按照 ISO 9001 的要求持续改进。详见论文[《可靠性增长试验在液压泵研制中的应用》](../papers/first-paper.md#试验方案)。

        """),
        ("Content/papers/first-paper.md", """
        ---
        title: 可靠性增长试验在液压泵研制中的应用
        authors:
          - name: 李华
            affiliation: 示例液压件厂（示例企业）
        date: 2020-10-08
        abstract: 介绍在液压泵研制阶段开展可靠性增长试验的方法与效果，平均故障间隔时间（MTBF）提高了一倍。
        keywords: [可靠性, 液压泵, MTBF]
        tags: [可靠性]
        ---

        ## 引言

        可靠性是液压泵质量的核心指标[^1]。

        ## 试验方案

        试验采用“试验—分析—改进”的循环，每轮改进后重新评估 MTBF。

        [^1]: 张三. 可靠性工程[M]. 北京: 机械工业出版社, 2018.

        """),
        ("Content/pages/about.md", """
        ---
        title: 关于本站
        summary: 本站用 QualityPress 生成，介绍协会的“质量月”活动。
        ---

        本站发布机械行业“质量月”活动信息、质量品牌故事与质量管理论文。新的文章用 `qpress new story "标题"` 创建。

        """),
    ]

    /// An image the story shows, and a note on how the site's own templates override the theme.
    static let themeFiles: [(String, String)] = [
        ("Content/assets/images/gear.svg", """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" role="img" aria-label="齿轮">
          <circle cx="32" cy="32" r="20" fill="none" stroke="#9e1b1b" stroke-width="8" stroke-dasharray="6 4"/>
          <circle cx="32" cy="32" r="8" fill="#9e1b1b"/>
        </svg>

        """),
        ("Templates/README.md", """
        # Templates

        此文件夹中的模板会逐个覆盖 QualityPress 默认主题中的同名文件，例如
        `Templates/story.mustache` 或 `Templates/partials/footer.mustache`；
        `Templates/assets/` 中的文件复制到网站的 `/assets/`。没有覆盖的文件沿用默认主题。

        """),
    ]
}
