"""Demo projects of Harbor & Pine Studio."""

PROJECTS = [
    {
        "organization": "Harbor & Pine Studio",
        "title": "Assemble a brand style guide for a new neighborhood bakery",
        "summary": (
            "Turn an approved logo and color palette into a clear 12-page brand "
            "style guide for a bakery client."
        ),
        "description": (
            "We are a two-person branding studio. A bakery client has approved its "
            "new logo, colors and typefaces, and now needs a style guide its staff "
            "can use for menus, signs and social posts."
            "\n\n"
            "You will lay out a 12-page guide in Figma covering logo use, color, "
            "type, photography style and example applications, and mock up a menu "
            "board and a shop window sign."
            "\n\n"
            "Our creative director will hold a kickoff call and review the guide "
            "with you twice."
        ),
        "deliverables": (
            "- A 12-page brand style guide exported as PDF\n"
            "- Mockups of a menu board and a window sign\n"
            "- The organized Figma source file"
        ),
        "category": "design",
        "skills": ["Figma", "Adobe Illustrator", "Presentation design"],
        "hours": 20,
        "fee_cents": 44000,
        "days_to_complete": 21,
        "apply_in_days": 14,
        "posted_days_ago": 0,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Please share a portfolio link that includes layout or branding work.",
        ],
        "status": "draft",
    },
    {
        "organization": "Harbor & Pine Studio",
        "title": "Instagram launch posts for our studio's portfolio",
        "summary": (
            "Plan and write nine Instagram posts that introduce our studio and "
            "showcase three recent branding projects."
        ),
        "description": (
            "Our studio has done good work but has almost no online presence. We "
            "want to relaunch our Instagram with a simple grid that shows three "
            "recent branding projects."
            "\n\n"
            "You will plan a nine-post grid from our existing project images, write "
            "captions and hashtags, and prepare the images in Canva."
            "\n\n"
            "We will hold a short kickoff call and review the grid together before "
            "anything is posted."
        ),
        "deliverables": (
            "- A nine-post grid plan with captions and hashtags\n"
            "- Nine images prepared and sized for Instagram"
        ),
        "category": "social_media",
        "skills": ["Instagram", "Canva", "Copywriting"],
        "hours": 6,
        "fee_cents": 12000,
        "days_to_complete": 7,
        "apply_in_days": 10,
        "posted_days_ago": 0,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [],
        "status": "draft",
    },
]
